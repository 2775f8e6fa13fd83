-- Cumulative achievement against the annual targets: one row per current convention and indicator,
-- achieved over the chosen quarters and orientations; a target never set stays null.
with achieved as (
    select network_head, year, indicator, sum(value)::bigint as achieved
    from mart_indicator_values($as_of)
    where list_contains($quarters, quarter) and list_contains($orientations, orientation)
    group by all
),
final as (
    select
        c.network_head, c.year, i.code as indicator, coalesce(a.achieved, 0)::bigint as achieved, t.target
    from current_conventions_at($as_of) c
    cross join indicators i
    left join current_targets_at($as_of) t on t.network_head = c.network_head and t.year = c.year and t.indicator = i.code
    left join achieved a on a.network_head = c.network_head and a.year = c.year and a.indicator = i.code
    where ($year is null or c.year = $year)
      and in_view(c.network_head, $network_heads, $allowed)
    order by c.network_head, c.year, i.position
)
select * from final;
