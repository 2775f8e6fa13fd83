-- Declared and eligible staff costs per current convention; money rules are applied on these sums
-- by the domain layer (flat rate once on the sum). $year null = every year; $network_heads empty = all.
select network_head, year, declared_staff_costs_eur, eligible_staff_costs_eur, planned_total_cost_eur
from staff_cost_sums
where ($year is null or year = $year)
  and (len($network_heads) = 0 or list_contains($network_heads, network_head))
order by network_head, year;
