-- Every review act of a year, oldest first, as the viewer may see them (the submission history shows them).
select network_head, quarter, action, main_version, staff_version, reason, actor_name, actor_role, happened_at, event_id
from review_events_at($as_of)
where year = $year and in_view(network_head, $network_heads, $allowed)
order by event_id;
