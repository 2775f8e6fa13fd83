-- Bulk import: one submission per scope of the file (`lot_submissions`, registered from Arrow).
insert into submissions (submission_id, import_id, kind, network_head, year, quarter, version, sheet, on_time)
select submission_id, $import_id, $kind, network_head, year, quarter, version, null, on_time
from lot_submissions;
