-- Bulk import: rows repeating a key already seen in their scope, with the line where it was first seen.
-- `lot_keys` (registered from Arrow): line, scope, and the key columns k1, k2, k3 (k3 null for a 2-column key).
with keyed as (
    select
        line,
        concat_ws(' / ', k1::varchar, k2::varchar, k3::varchar) as shown,
        first_value(line) over (partition by network_head, year, quarter, k1, k2, k3 order by line) as first_line
    from lot_keys
    where network_head is not null and year is not null and quarter is not null
      and k1 is not null and k2 is not null and (k3 is not null or $keys = 2)
)
select line, first_line, shown from keyed where line <> first_line order by line;
