insert into convention_targets (submission_id, indicator, target) values (?, ?, ?);
