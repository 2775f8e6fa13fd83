-- Indicator values of the filters summed per network head × indicator × part of the Département: each area of
-- the call ($areas: the grouping of data/territoires.toml as a list of {area, territory}), the territories in
-- no area (area null, located), and the whole Département ($whole_department, DEP: a value reported for the
-- whole Département is located nowhere, so it is in no area). Areas hold distinct territories (checked when the
-- file is read): the parts of a network head add up to its total, the denominator of its shares.
-- Filters: $year, $network_heads, $allowed, $quarters, $orientations, $as_of.
with areas as (
    select unnest($areas::struct(area varchar, territory varchar)[], recursive := true)
),
filtered as (
    select network_head, territory, indicator, value, file_name, sheet, version, source_line
    from indicator_values_of($as_of, $year, $network_heads, $allowed, $quarters, $orientations)
),
parts as (
    select f.*, a.area, f.territory <> $whole_department as located
    from filtered f
    left join areas a on a.territory = f.territory
),
by_file as (
    select
        network_head, indicator, area, located, sum(value) as value,
        source_label(file_name, sheet, version, list(source_line)) as source
    from parts
    group by network_head, indicator, area, located, file_name, sheet, version
),
final as (
    select
        network_head, indicator, area, located, sum(value)::bigint as value,
        array_to_string(list_sort(list(source)), ' ; ') as sources
    from by_file
    group by network_head, indicator, area, located
)
select * from final order by network_head, indicator, area nulls last, located desc;
