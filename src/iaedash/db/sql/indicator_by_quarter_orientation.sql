-- Totals per network head, quarter, orientation and indicator (territories summed): one network head's page.
select network_head, quarter, orientation, indicator, sum(value)::bigint as value
from current_indicator_values
where year = $year
  and (len($network_heads) = 0 or list_contains($network_heads, network_head))
  and list_contains($quarters, quarter)
  and list_contains($orientations, orientation)
group by all
order by network_head, quarter, orientation, indicator;
