-- Comments sent in the files with the current indicator values, with where they come from.
select network_head, year, quarter, orientation, indicator, territory, value, comment, file_name, version, source_line
from mart_indicator_values($as_of)
where year = $year
  and comment is not null
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
  and list_contains($orientations, orientation)
order by network_head, quarter, orientation, indicator;
