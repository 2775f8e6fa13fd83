-- Bulk import, after its insert: the current lines of each employee of the file whose assignment rate
-- varies within the year (the call prefers a fixed monthly percentage: a warning, not a refusal).
with touched as (
    select distinct reseau as network_head, annee as year, salarie as employee from lot_rows
),
varying as (
    select c.network_head, c.year, c.employee
    from current_staff_lines c
    join touched t using (network_head, year, employee)
    group by all
    having count(distinct c.assignment_rate) > 1
)
select c.network_head, c.year, c.employee, c.month, c.assignment_rate
from current_staff_lines c
join varying v using (network_head, year, employee)
order by c.network_head, c.year, c.employee, c.month;
