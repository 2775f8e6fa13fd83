-- Current conventions of a year with their targets (null target = « pas d'objectif »).
select
    network_head, name, start_date, end_date, planned_staff_cost_eur, planned_total_cost_eur,
    esf_amount_eur, department_amount_eur, self_financing_eur, advance_paid_eur, advance_date,
    version, file_name, received_on, targets
from mart_conventions($as_of)
where year = $year
  and in_view(network_head, $network_heads, $allowed)
order by network_head;
