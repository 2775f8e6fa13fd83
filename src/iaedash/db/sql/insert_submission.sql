insert into submissions (submission_id, import_id, kind, network_head, year, quarter, version, sheet, on_time)
values (?, ?, ?, ?, ?, ?, ?, ?, ?);
