-- Marts: what pages, exports and documents read. One grain each, no filter inside (reads filter them with
-- in_view / visible); described once in iaedash.db.marts and tested for their grain on the demo database.
-- Layers: raw tables → current_*_at (the current version of each scope on a day, with provenance) → marts.
-- Each mart is a table macro of the day the figures stand at (`as_of`: a date, or null for today), so that
-- every read says which day it shows: `from mart_indicator_values($as_of)`.
drop view if exists mart_indicator_values;
drop view if exists mart_monthly_staff_costs;
drop view if exists mart_submission_calendar;
drop view if exists mart_conventions;

-- One row per network head × year × quarter × orientation × indicator × territory, current versions only,
-- with the file, sheet, version and line it comes from.
create or replace macro mart_indicator_values(as_of) as table
select
    network_head, year, quarter, orientation, indicator, territory, value, comment,
    file_name, sheet, version, source_line, submission_id
from current_indicator_values_at(as_of);

-- One row per network head × year × month with staff lines (current versions): amounts declared (cost × rate,
-- rounded per line) and eligible, lines and ineligible lines with their reasons, and the files behind them.
create or replace macro mart_monthly_staff_costs(as_of) as table
select
    network_head, year, month, any_value(quarter) as quarter,
    sum(amount_eur)::decimal(14, 2) as declared_staff_costs_eur,
    coalesce(sum(amount_eur) filter (where eligible), 0)::decimal(14, 2) as eligible_staff_costs_eur,
    count(*) as lines,
    count(*) filter (where not eligible) as ineligible_lines,
    string_agg(distinct ineligibility_reason, ' ; ' order by ineligibility_reason) filter (where not eligible)
        as ineligibility_reasons,
    string_agg(distinct file_name || ' v' || version, ', ' order by file_name || ' v' || version) as sources
from current_staff_lines_at(as_of)
group by network_head, year, month;

-- One row per current convention × quarter (1 to 4): when its indicators came in (first and last version),
-- how many versions, from which files, and the current version of its staff costs (0: none yet).
create or replace macro mart_submission_calendar(as_of) as table
with quarters as (
    select unnest([1, 2, 3, 4]) as quarter
),
received as (
    select
        network_head, year, quarter,
        min(received_on) as first_received_on,
        max(received_on) as last_received_on,
        count(*) as versions,
        string_agg(file_name, ' ; ' order by version) as files
    from submissions_received(as_of)
    where kind = 'indicateurs'
    group by network_head, year, quarter
),
staff as (
    select network_head, year, quarter, max(version) as staff_versions
    from submissions_received(as_of)
    where kind = 'personnel'
    group by network_head, year, quarter
),
final as (
    select
        c.network_head, c.year, q.quarter, r.first_received_on, r.last_received_on,
        coalesce(r.versions, 0) as versions, r.files, coalesce(st.staff_versions, 0) as staff_versions
    from current_conventions_at(as_of) c
    cross join quarters q
    left join received r on r.network_head = c.network_head and r.year = c.year and r.quarter = q.quarter
    left join staff st on st.network_head = c.network_head and st.year = c.year and st.quarter = q.quarter
)
select * from final;

-- One row per network head × year: the current convention (money in DECIMAL) with its targets
-- (indicator → target; a target left empty is null, « pas d'objectif »).
create or replace macro mart_conventions(as_of) as table
select
    c.network_head, c.year, c.name, c.start_date, c.end_date,
    c.planned_staff_cost_eur, c.planned_total_cost_eur, c.esf_amount_eur, c.department_amount_eur,
    c.self_financing_eur, c.advance_paid_eur, c.advance_date,
    c.version, c.file_name, c.received_on, c.submission_id,
    coalesce(
        map_from_entries(list((t.indicator, t.target)) filter (where t.indicator is not null)),
        map([]::varchar[], []::integer[])
    ) as targets
from current_conventions_at(as_of) c
left join convention_targets t using (submission_id)
group by all;

-- The filter bar applied to the indicator values, once for every read that sums them: the year, the network
-- heads chosen as the viewer may see them, the quarters and orientations, on the as-of day. (Parameters are
-- named apart from the mart's columns: in a macro, a parameter would shadow a column of the same name.)
create or replace macro indicator_values_of(as_of, of_year, chosen, allowed, of_quarters, of_orientations) as table
select *
from mart_indicator_values(as_of)
where year = of_year
  and in_view(network_head, chosen, allowed)
  and list_contains(of_quarters, quarter)
  and list_contains(of_orientations, orientation);

-- Where a summed figure comes from: « fichier[onglet] vN l. 2, 5 » (lines sorted after aggregation).
create or replace macro source_label(file_name, sheet, version, lines) as
    file_name || coalesce('[' || sheet || ']', '') || ' v' || version || ' l. ' || array_to_string(list_sort(lines), ', ');
