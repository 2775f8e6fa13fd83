select distinct year from current_conventions where visible(network_head, $allowed) order by year desc;
