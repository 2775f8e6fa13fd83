insert into review_comments
select
    (select coalesce(max(comment_id), 0) + 1 from review_comments), $network_head, $year, $quarter, $indicator,
    $orientation, $body, $actor_email, $actor_name, $actor_role, $happened_at;
