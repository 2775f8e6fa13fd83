-- One review act; the id is allocated here by the single writer of its transaction.
insert into review_events
select
    (select coalesce(max(event_id), 0) + 1 from review_events), $network_head, $year, $quarter, $action,
    $main_version, $staff_version, $reason, $actor_email, $actor_name, $actor_role, $happened_at;
