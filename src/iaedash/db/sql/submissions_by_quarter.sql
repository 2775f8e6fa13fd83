-- Completeness: for each convention of the year and each quarter, when the first and last versions came in.
with conventions_ as (
    select network_head from current_conventions
    where year = $year and in_view(network_head, $network_heads, $allowed)
),
quarters as (select unnest([1, 2, 3, 4]) as quarter),
received as (
    select
        network_head, quarter,
        min(i.received_on) as first_received_on,
        max(i.received_on) as last_received_on,
        count(*) as versions,
        max(s.version) as current_version,
        string_agg(i.file_name, ' ; ' order by s.version) as files
    from submissions s
    join imports i using (import_id)
    where s.kind = 'indicateurs' and s.year = $year
    group by network_head, quarter
),
staff as (
    select network_head, quarter, max(version) as staff_versions
    from submissions
    where kind = 'personnel' and year = $year
    group by network_head, quarter
),
final as (
    select
        c.network_head, q.quarter, r.first_received_on, r.last_received_on,
        coalesce(r.versions, 0) as versions, r.files, coalesce(st.staff_versions, 0) as staff_versions
    from conventions_ c
    cross join quarters q
    left join received r on r.network_head = c.network_head and r.quarter = q.quarter
    left join staff st on st.network_head = c.network_head and st.quarter = q.quarter
)
select * from final order by network_head, quarter;
