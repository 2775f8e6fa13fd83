-- Current conventions of a year with their targets (null target = « pas d'objectif »).
select
    c.network_head, c.name, c.start_date, c.end_date, c.planned_staff_cost_eur, c.planned_total_cost_eur,
    c.esf_amount_eur, c.department_amount_eur, c.self_financing_eur, c.advance_paid_eur, c.advance_date,
    c.version, c.file_name, c.received_on,
    map_from_entries(list((t.indicator, t.target))) as targets
from current_conventions c
left join convention_targets t using (submission_id)
where c.year = $year
  and in_view(c.network_head, $network_heads, $allowed)
group by all
order by c.network_head;
