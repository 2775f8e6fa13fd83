-- Latest version stored for a scope; null when the scope is new.
select max(version) as version
from submissions
where kind = $kind and network_head = $network_head and year = $year and quarter is not distinct from $quarter;
