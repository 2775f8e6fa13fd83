-- How current the data are: the last import and the number of files behind them, and the last review act,
-- comment and journal event (any of them changes what a page shows, so each is part of the cache key).
select
    count(*) as imports,
    max(imported_at) as last_imported_at,
    coalesce(max(import_id), 0) as last_import_id,
    (select coalesce(max(event_id), 0) from review_events) as last_review_id,
    (select coalesce(max(comment_id), 0) from review_comments) as last_comment_id,
    (select coalesce(max(event_id), 0) from journal_events) as last_journal_id
from imports;
