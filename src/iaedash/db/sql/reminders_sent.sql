-- The reminders sent for each network head × quarter of a year (journal events of action $action): how many,
-- and the last one — when, by whom, its detail (recipients and subject).
select
    network_head,
    quarter,
    count(*) as sent,
    max(happened_at) as last_at,
    arg_max(actor_name, happened_at) as last_actor_name,
    arg_max(actor_role, happened_at) as last_actor_role,
    arg_max(detail, happened_at) as last_detail
from journal_events
where action = $action
  and year = $year
  and in_view(network_head, $network_heads, $allowed)
group by network_head, quarter
order by network_head, quarter;
