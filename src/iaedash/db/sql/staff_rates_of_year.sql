-- Assignment rates already stored for a network head and year, outside the quarter being replaced.
select employee, month, assignment_rate
from current_staff_lines
where network_head = $network_head and year = $year and quarter <> $quarter;
