-- Bulk import: the scopes of a bulk file (`lot_rows`, registered from Arrow), each with its first line.
-- A row whose network head, year or quarter could not be read belongs to no scope (its cell is refused).
select reseau as network_head, annee as year, trimestre as quarter, min(line) as first_line
from lot_rows
where reseau is not null and annee is not null and trimestre is not null
group by all
order by first_line;
