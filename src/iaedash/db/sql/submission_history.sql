-- Every version of every scope of the chosen network heads and year, newest first.
select
    s.network_head, s.kind, s.quarter, s.version, s.file_name, s.sheet, s.received_on, s.imported_at, s.on_time,
    s.sha256, s.import_id,
    s.version = max(s.version) over (partition by s.kind, s.network_head, s.year, s.quarter) as is_current
from submissions_received($as_of) s
where s.year = $year
  and in_view(s.network_head, $network_heads, $allowed)
order by s.imported_at desc, s.submission_id desc;
