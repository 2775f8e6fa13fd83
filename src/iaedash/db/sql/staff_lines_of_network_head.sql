-- Every current staff line of one network head and year (pseudonymous employee ids), with its amount,
-- its eligibility and the reason when refused, and where it comes from. For the detail page only.
select
    month, quarter, employee, job_title, support_function, monthly_cost_eur as monthly_cost, assignment_rate,
    amount_eur as amount, eligible, ineligibility_reason as reason, file_name, sheet, version, source_line
from current_staff_lines_at($as_of)
where year = $year
  and network_head = $network_head and visible(network_head, $allowed)
  and list_contains($quarters, quarter)
order by employee, month;
