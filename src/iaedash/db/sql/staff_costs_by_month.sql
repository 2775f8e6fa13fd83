-- Staff costs per network head and month (current versions): declared, eligible, lines, and where they
-- come from. Only months with at least one staff line appear; money rules act on these sums in domain/.
select
    network_head, month, quarter,
    sum(amount_eur)::decimal(14, 2) as declared_staff_costs_eur,
    coalesce(sum(amount_eur) filter (where eligible), 0)::decimal(14, 2) as eligible_staff_costs_eur,
    count(*) as lines,
    count(*) filter (where not eligible) as ineligible_lines,
    string_agg(distinct file_name || ' v' || version, ', ' order by file_name || ' v' || version) as sources
from current_staff_lines
where year = $year
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
group by network_head, month, quarter
order by network_head, month;
