-- One row per indicator for the home tiles: total over the filter, the targets that were set (and the total
-- of the network heads that have one, to compare like with like), the last and previous quarter's values.
with filtered as (
    select network_head, quarter, indicator, value
    from indicator_values_of($as_of, $year, $network_heads, $allowed, $quarters, $orientations)
),
targets as (
    select network_head, indicator, target
    from current_targets_at($as_of)
    where year = $year and in_view(network_head, $network_heads, $allowed)
),
target_sums as (
    select indicator, sum(target)::bigint as target, count(target) as heads_with_target, count(*) as heads
    from targets
    group by indicator
),
achieved as (
    select
        f.indicator,
        sum(f.value)::bigint as total,
        coalesce(sum(f.value) filter (where t.target is not null), 0)::bigint as total_with_target,
        coalesce(sum(f.value) filter (where f.quarter = $last_quarter), 0)::bigint as last_value,
        coalesce(sum(f.value) filter (where f.quarter = $previous_quarter), 0)::bigint as previous_value
    from filtered f
    left join targets t using (network_head, indicator)
    group by f.indicator
),
final as (
    select
        i.code as indicator, coalesce(a.total, 0) as total, ts.target, coalesce(ts.heads_with_target, 0) as heads_with_target,
        coalesce(ts.heads, 0) as heads, coalesce(a.total_with_target, 0) as total_with_target,
        coalesce(a.last_value, 0) as last_value, coalesce(a.previous_value, 0) as previous_value
    from indicators i
    left join achieved a on a.indicator = i.code
    left join target_sums ts on ts.indicator = i.code
    order by i.position
)
select * from final;
