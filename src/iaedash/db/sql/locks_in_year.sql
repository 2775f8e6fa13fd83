-- Import: has any of these network heads ever had a scope of `year` locked? When not, none is locked now and
-- the full review state (review_state) need not be read. The import checks any viewer's file: $allowed null.
select count(*) > 0 as any_lock
from review_events
where year = $year and action = 'verrouiller' and in_view(network_head, $network_heads, $allowed);
