-- The journal, newest first, with the page's filters (null or empty = no filter on that field).
select happened_at, action, actor_email, actor_name, actor_role, network_head, year, quarter, import_id, detail
from journal
where (len($actions) = 0 or list_contains($actions, action))
  and ($actor is null or contains(lower(actor_email || ' ' || actor_name), lower($actor)))
  and in_view(coalesce(network_head, ''), $network_heads, $allowed)
  and ($since is null or happened_at >= $since::timestamp)
  and ($until is null or happened_at < $until::date + interval 1 day)
order by happened_at desc, action;
