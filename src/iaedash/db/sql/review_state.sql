-- Every scope of a year that received something, as the viewer may see it: its current versions
-- (indicators or convention, staff costs) and the last review act on it. Quarter null = the convention.
with received as (
    select
        network_head, year, quarter,
        max(version) filter (where kind in ('indicateurs', 'conventions')) as main_version,
        max(version) filter (where kind = 'personnel') as staff_version
    from submissions_received($as_of)
    where year = $year and in_view(network_head, $network_heads, $allowed)
    group by network_head, year, quarter
),
last_act as (
    select *
    from review_events_at($as_of)
    where year = $year and in_view(network_head, $network_heads, $allowed)
    qualify row_number() over (partition by network_head, year, quarter order by event_id desc) = 1
),
final as (
    select
        r.network_head, r.quarter, r.main_version, r.staff_version,
        a.action, a.main_version as act_main_version, a.staff_version as act_staff_version,
        a.actor_name, a.happened_at, a.reason
    from received r
    left join last_act a
        on a.network_head = r.network_head and a.year = r.year and a.quarter is not distinct from r.quarter
)
select * from final order by network_head, quarter nulls first;
