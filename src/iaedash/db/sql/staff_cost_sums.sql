-- Declared and eligible staff costs per current convention; money rules are applied on these sums
-- by the domain layer (flat rate once on the sum).
select network_head, year, declared_staff_costs_eur, eligible_staff_costs_eur, planned_total_cost_eur
from staff_cost_sums
where ($year is null or year = $year)
  and ($network_head is null or network_head = $network_head)
order by network_head, year;
