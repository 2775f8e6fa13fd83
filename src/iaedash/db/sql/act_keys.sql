-- Every act of the database by its table and number (`iaedash check`, `rebuild`: compared with the acts file).
select 'import_authors' as act_table, import_id as number from import_authors
union all
select 'review_events', event_id from review_events
union all
select 'review_comments', comment_id from review_comments
union all
select 'journal_events', event_id from journal_events;
