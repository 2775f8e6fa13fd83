insert into indicator_values (submission_id, orientation, indicator, territory, value, comment, source_line)
values (?, ?, ?, ?, ?, ?, ?);
