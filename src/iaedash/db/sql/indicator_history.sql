-- Every quarterly total of every year for the chosen network heads: the history the outlier check compares with.
select network_head, year, quarter, indicator, sum(value)::bigint as value
from mart_indicator_values($as_of)
where in_view(network_head, $network_heads, $allowed)
  and list_contains($orientations, orientation)
group by all
order by network_head, indicator, year, quarter;
