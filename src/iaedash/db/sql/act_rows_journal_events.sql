-- Acts of journal_events committed in the database but missing from the acts file (`ingest.kept.settle_acts`),
-- in the columns and order of `acts.TABLES`.
select event_id, happened_at, action, actor_email, actor_name, actor_role, network_head, year, quarter, detail
from journal_events
where list_contains($numbers, event_id)
order by event_id;
