insert into journal_events
select
    (select coalesce(max(event_id), 0) + 1 from journal_events), $happened_at, $action, $actor_email, $actor_name,
    $actor_role, $network_head, $year, $quarter, $detail;
