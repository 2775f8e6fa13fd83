-- The submission calendar of the chosen conventions: one row per convention × quarter (every year when
-- $year is null), when its indicators came in, how many versions, from which files.
select network_head, year, quarter, first_received_on, last_received_on, versions, files, staff_versions
from mart_submission_calendar($as_of)
where ($year is null or year = $year)
  and in_view(network_head, $network_heads, $allowed)
order by network_head, year, quarter;
