-- One row per network head, year and quarter received; the value of each indicator × orientation summed over
-- territories (0 where nothing was reported). Columns are pivoted by the caller in a fixed order.
with received as (
    select distinct network_head, year, quarter
    from current_submissions_at($as_of)
    where kind = 'indicateurs'
      and ($year is null or year = $year)
      and in_view(network_head, $network_heads, $allowed)
      and list_contains($quarters, quarter)
),
sums as (
    select network_head, year, quarter, indicator, orientation, sum(value)::bigint as value
    from mart_indicator_values($as_of)
    where list_contains($orientations, orientation)
    group by all
),
final as (
    select r.network_head, r.year, r.quarter, i.code as indicator, o.code as orientation,
           coalesce(s.value, 0)::bigint as value
    from received r
    cross join indicators i
    cross join orientations o
    left join sums s
        on s.network_head = r.network_head and s.year = r.year and s.quarter = r.quarter
        and s.indicator = i.code and s.orientation = o.code
    where list_contains($orientations, o.code)
    order by r.network_head, r.year, r.quarter, i.position, o.position
)
select * from final;
