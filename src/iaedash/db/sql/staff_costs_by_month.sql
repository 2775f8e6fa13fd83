-- Monthly staff costs of the chosen network heads and quarters (the mart, filtered).
select
    network_head, month, quarter, declared_staff_costs_eur, eligible_staff_costs_eur, lines, ineligible_lines,
    ineligibility_reasons, sources
from mart_monthly_staff_costs($as_of)
where year = $year
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
order by network_head, month;
