-- One network head's year: totals per quarter, orientation and indicator (territories summed).
select quarter, orientation, indicator, sum(value)::bigint as value
from current_indicator_values
where network_head = $network_head and visible(network_head, $allowed) and year = $year
group by all
order by quarter, orientation, indicator;
