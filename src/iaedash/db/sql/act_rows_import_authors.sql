-- Acts of import_authors committed in the database but missing from the acts file (`ingest.kept.settle_acts`),
-- in the columns and order of `acts.TABLES`.
select import_id, actor_email, actor_name, actor_role
from import_authors
where list_contains($numbers, import_id)
order by import_id;
