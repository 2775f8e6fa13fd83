insert into conventions (
    submission_id, name, start_date, end_date, planned_staff_cost_eur, planned_total_cost_eur, esf_amount_eur,
    department_amount_eur, self_financing_eur, advance_paid_eur, advance_date, source_line
) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);
