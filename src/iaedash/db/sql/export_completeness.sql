-- Quarterly submissions per current convention and quarter: first and last date received, versions.
with conventions_ as (
    select network_head, year from current_conventions
    where ($year is null or year = $year)
      and in_view(network_head, $network_heads, $allowed)
),
quarters as (select unnest([1, 2, 3, 4]) as quarter),
received as (
    select s.network_head, s.year, s.quarter,
           min(i.received_on) as first_received_on, max(i.received_on) as last_received_on, count(*) as versions
    from submissions s
    join imports i using (import_id)
    where s.kind = 'indicateurs'
    group by all
)
select c.network_head, c.year, q.quarter, r.first_received_on, r.last_received_on, coalesce(r.versions, 0) as versions
from conventions_ c
cross join quarters q
left join received r on r.network_head = c.network_head and r.year = c.year and r.quarter = q.quarter
where list_contains($quarters, q.quarter)
order by c.network_head, c.year, q.quarter;
