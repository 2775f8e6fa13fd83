-- The `personnel_mensuel` export: the monthly mart, filtered (every year when $year is null).
select
    network_head as reseau, year as annee, month as mois, declared_staff_costs_eur as depenses_personnel_declarees,
    eligible_staff_costs_eur as depenses_personnel_eligibles, ineligible_lines as lignes_ineligibles
from mart_monthly_staff_costs($as_of)
where ($year is null or year = $year)
  and in_view(network_head, $network_heads, $allowed)
  and list_contains($quarters, quarter)
order by network_head, year, month;
