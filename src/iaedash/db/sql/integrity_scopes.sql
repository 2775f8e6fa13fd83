-- What each stored part of each import holds, counted and summed (`iaedash check` compares it with a re-read
-- of the kept file): indicator rows and Σ value; staff lines, Σ monthly cost, Σ amount and eligible lines (the
-- call's rules, applied at import); a convention and its planned staff cost.
with indicator_parts as (
    select submission_id, count(*) as line_count, sum(value)::decimal(38, 2) as total
    from indicator_values group by submission_id
),
staff_parts as (
    select
        submission_id, count(*) as line_count, sum(monthly_cost_eur)::decimal(38, 2) as total,
        sum(amount_eur)::decimal(38, 2) as amount, count(*) filter (where eligible) as eligible_lines
    from staff_lines group by submission_id
),
convention_parts as (
    select submission_id, 1 as line_count, planned_staff_cost_eur::decimal(38, 2) as total from conventions
)
select
    s.import_id, s.kind, s.network_head, s.year, s.quarter,
    coalesce(i.line_count, p.line_count, c.line_count, 0) as line_count,
    coalesce(i.total, p.total, c.total, 0)::decimal(38, 2) as total,
    coalesce(p.amount, 0)::decimal(38, 2) as amount,
    coalesce(p.eligible_lines, 0) as eligible_lines
from submissions as s
left join indicator_parts as i using (submission_id)
left join staff_parts as p using (submission_id)
left join convention_parts as c using (submission_id)
order by s.import_id, s.kind, s.network_head, s.year, s.quarter;
