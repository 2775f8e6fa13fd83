-- Indicator values of the filters summed per network head × territory × indicator (over the chosen quarters
-- and orientations), with the sources behind each figure (« fichier[onglet] vN l. 2, 5 ; … »). Territory DEP is
-- a value reported for the whole Département, not located: it is a territory of its own here, never spread.
-- Filters: $year, $network_heads, $allowed, $quarters, $orientations, $as_of.
with filtered as (
    select network_head, territory, indicator, value, file_name, sheet, version, source_line
    from indicator_values_of($as_of, $year, $network_heads, $allowed, $quarters, $orientations)
),
by_file as (
    select
        network_head, territory, indicator, sum(value) as value,
        source_label(file_name, sheet, version, list(source_line)) as source
    from filtered
    group by network_head, territory, indicator, file_name, sheet, version
),
final as (
    select
        network_head, territory, indicator, sum(value)::bigint as value,
        array_to_string(list_sort(list(source)), ' ; ') as sources
    from by_file
    group by network_head, territory, indicator
)
select * from final order by network_head, territory, indicator;
