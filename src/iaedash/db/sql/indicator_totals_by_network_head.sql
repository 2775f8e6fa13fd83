-- Year totals per network head and indicator (quarters summed), for every network head with a convention.
with conventions_ as (
    select network_head, year from current_conventions where year = $year
),
totals as (
    select network_head, indicator, sum(value) as total
    from current_indicator_values
    where year = $year
    group by all
),
final as (
    select n.code as network_head, n.name, i.code as indicator, coalesce(t.total, 0)::bigint as total
    from conventions_ c
    join network_heads n on n.code = c.network_head
    cross join indicators i
    left join totals t on t.network_head = c.network_head and t.indicator = i.code
    order by n.code, i.position
)
select * from final;
