-- Acts of review_comments committed in the database but missing from the acts file (`ingest.kept.settle_acts`),
-- in the columns and order of `acts.TABLES`.
select comment_id, network_head, year, quarter, indicator, orientation, body, actor_email, actor_name, actor_role, happened_at
from review_comments
where list_contains($numbers, comment_id)
order by comment_id;
