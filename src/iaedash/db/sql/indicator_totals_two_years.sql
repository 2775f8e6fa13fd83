-- Indicator values of the filters summed per year × network head × indicator, for the chosen year and the year
-- before over the same quarters and orientations (the year against year): one light aggregate, no sources.
-- Filters: $year, $network_heads, $allowed, $quarters, $orientations, $as_of.
select year, network_head, indicator, sum(value)::bigint as value
from mart_indicator_values($as_of)
where year in ($year, $year - 1)
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
  and list_contains($orientations, orientation)
group by year, network_head, indicator;
