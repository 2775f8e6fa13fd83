-- The current convention of one network head and year, with its targets.
select c.name, c.start_date, c.end_date, c.version, map_from_entries(list((t.indicator, t.target))) as targets
from current_conventions c
left join convention_targets t using (submission_id)
where c.network_head = $network_head and visible(c.network_head, $allowed) and c.year = $year
group by all;
