-- Every version of every scope of the chosen network heads and year, newest first.
select
    s.network_head, s.kind, s.quarter, s.version, i.file_name, s.sheet, i.received_on, i.imported_at, s.on_time,
    i.sha256, i.import_id,
    s.version = max(s.version) over (partition by s.kind, s.network_head, s.year, s.quarter) as is_current
from submissions s
join imports i using (import_id)
where s.year = $year
  and in_view(s.network_head, $network_heads, $allowed)
order by i.imported_at desc, s.submission_id desc;
