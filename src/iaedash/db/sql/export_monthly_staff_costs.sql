-- Monthly staff costs per network head (no per-employee rows): declared, eligible, lines not eligible.
select
    network_head, year, month,
    sum(amount_eur)::decimal(14, 2) as declared_staff_costs_eur,
    coalesce(sum(amount_eur) filter (where eligible), 0)::decimal(14, 2) as eligible_staff_costs_eur,
    count(*) filter (where not eligible) as ineligible_lines
from current_staff_lines
where ($year is null or year = $year)
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
group by all
order by network_head, year, month;
