-- Staff costs per network head and quarter: declared, eligible, and how many lines are not eligible.
select
    network_head, quarter,
    sum(amount_eur)::decimal(14, 2) as declared_staff_costs_eur,
    coalesce(sum(amount_eur) filter (where eligible), 0)::decimal(14, 2) as eligible_staff_costs_eur,
    count(*) filter (where not eligible) as ineligible_lines,
    string_agg(distinct ineligibility_reason, ' ; ') filter (where not eligible) as ineligibility_reasons
from current_staff_lines
where year = $year
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
group by network_head, quarter
order by network_head, quarter;
