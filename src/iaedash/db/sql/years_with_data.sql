select distinct year from current_conventions_at($as_of) where visible(network_head, $allowed) order by year desc;
