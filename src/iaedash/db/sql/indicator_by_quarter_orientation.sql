-- Totals per network head, quarter, orientation and indicator (territories summed): one network head's page.
select network_head, quarter, orientation, indicator, sum(value)::bigint as value
from current_indicator_values
where year = $year
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
  and list_contains($orientations, orientation)
group by all
order by network_head, quarter, orientation, indicator;
