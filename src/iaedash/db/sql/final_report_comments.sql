-- Comments a network head sent with its current values for a year.
select quarter, orientation, indicator, territory, value, comment
from current_indicator_values
where network_head = $network_head and visible(network_head, $allowed) and year = $year and comment is not null
order by orientation, quarter, indicator;
