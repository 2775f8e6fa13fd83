-- Staff costs per network head and quarter: the monthly mart added up.
select
    network_head, quarter,
    sum(declared_staff_costs_eur)::decimal(14, 2) as declared_staff_costs_eur,
    sum(eligible_staff_costs_eur)::decimal(14, 2) as eligible_staff_costs_eur,
    sum(ineligible_lines)::bigint as ineligible_lines,
    string_agg(ineligibility_reasons, ' ; ' order by month) as ineligibility_reasons
from mart_monthly_staff_costs($as_of)
where year = $year
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
group by network_head, quarter
order by network_head, quarter;
