-- One scope's checked indicator rows (`file_indicator_rows`, registered from Arrow) under its new submission.
insert into indicator_values (submission_id, orientation, indicator, territory, value, comment, source_line)
select $submission_id, orientation, indicator, territory, value, comment, source_line
from file_indicator_rows;
