-- (network head, year) pairs that have a current convention.
select network_head, year from current_conventions;
