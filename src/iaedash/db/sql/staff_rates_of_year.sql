-- Assignment rates already stored for a network head and year, outside the quarter being replaced: the lines
-- of each other quarter's current version (what current_staff_lines holds, narrowed to the file's network
-- head and year before anything else).
select employee, month, assignment_rate
from staff_lines
where submission_id in (
    select arg_max(submission_id, version)
    from submissions
    where kind = 'personnel' and network_head = $network_head and year = $year and quarter <> $quarter
    group by quarter
);
