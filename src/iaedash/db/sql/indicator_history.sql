-- Every quarterly total of every year for the chosen network heads: the history the outlier check compares with.
select network_head, year, quarter, indicator, sum(value)::bigint as value
from current_indicator_values
where (len($network_heads) = 0 or list_contains($network_heads, network_head))
  and list_contains($orientations, orientation)
group by all
order by network_head, indicator, year, quarter;
