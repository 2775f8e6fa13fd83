-- Bulk import: the latest version stored of each scope of a kind (a bulk file's scopes get the next one).
select network_head, year, quarter, max(version) as version
from submissions
where kind = $kind
group by all;
