-- Quarterly totals per network head and indicator over the chosen orientations (territories summed),
-- with the source rows behind each figure. Filters: $year, $network_heads (empty = all), $quarters, $orientations.
with filtered as (
    select *
    from current_indicator_values
    where year = $year
      and in_view(network_head, $network_heads, $allowed)
      and list_contains($quarters, quarter)
      and list_contains($orientations, orientation)
),
by_file as (
    select
        network_head, quarter, indicator, sum(value) as value,
        file_name || coalesce('[' || sheet || ']', '') || ' v' || version
            || ' l. ' || string_agg(source_line::varchar, ', ' order by source_line) as source
    from filtered
    group by network_head, quarter, indicator, file_name, sheet, version
),
final as (
    select
        network_head, quarter, indicator, sum(value)::bigint as value,
        string_agg(source, ' ; ' order by source) as sources
    from by_file
    group by network_head, quarter, indicator
)
select * from final order by network_head, quarter, indicator;
