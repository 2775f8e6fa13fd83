-- Every comment of the threads of a year, oldest first, as the viewer may see them.
select network_head, quarter, indicator, orientation, body, actor_name, actor_role, happened_at, comment_id
from review_comments_at($as_of)
where year = $year and in_view(network_head, $network_heads, $allowed)
order by comment_id;
