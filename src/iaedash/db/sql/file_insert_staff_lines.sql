-- One scope's checked staff lines with their assessment (`file_staff_rows`, registered from Arrow).
insert into staff_lines (
    submission_id, month, employee, job_title, support_function, monthly_cost_eur, assignment_rate,
    amount_eur, eligible, ineligibility_reason, source_line
)
select
    $submission_id, month, employee, job_title, support_function, monthly_cost_eur, assignment_rate,
    amount_eur, eligible, ineligibility_reason, source_line
from file_staff_rows;
