-- Ids are allocated by the single writer inside its transaction (a sequence would leave gaps).
select
    (select coalesce(max(import_id), 0) + 1 from imports) as import_id,
    (select coalesce(max(submission_id), 0) + 1 from submissions) as submission_id;
