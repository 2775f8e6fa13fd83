-- One scope's new submission, its version the scope's latest + 1 (read by the single writer in its
-- transaction; a new scope starts at 1); returns the version.
insert into submissions (submission_id, import_id, kind, network_head, year, quarter, version, sheet, on_time)
select
    $submission_id, $import_id, $kind, $network_head, $year, $quarter, coalesce(max(version), 0) + 1, $sheet,
    $on_time
from submissions
where kind = $kind and network_head = $network_head and year = $year and quarter is not distinct from $quarter
returning version;
