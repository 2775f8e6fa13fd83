-- One convention's targets (`file_targets`, registered from Arrow); a target left empty stays null.
insert into convention_targets (submission_id, indicator, target)
select $submission_id, indicator, target
from file_targets;
