-- Acts of review_events committed in the database but missing from the acts file (`ingest.kept.settle_acts`),
-- in the columns and order of `acts.TABLES`.
select event_id, network_head, year, quarter, action, main_version, staff_version, reason, actor_email, actor_name, actor_role, happened_at
from review_events
where list_contains($numbers, event_id)
order by event_id;
