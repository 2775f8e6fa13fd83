-- Comments sent in the files with the current indicator values, with where they come from.
select network_head, year, quarter, orientation, indicator, territory, value, comment, file_name, version, source_line
from indicator_values_of($as_of, $year, $network_heads, $allowed, $quarters, $orientations)
where comment is not null
order by network_head, quarter, orientation, indicator;
