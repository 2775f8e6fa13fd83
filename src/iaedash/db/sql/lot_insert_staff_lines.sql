-- Bulk import: every checked staff line (`lot_rows`) with its assessment (`lot_assessments`, by domain.staff).
insert into staff_lines (
    submission_id, month, employee, job_title, support_function, monthly_cost_eur, assignment_rate,
    amount_eur, eligible, ineligibility_reason, source_line
)
select
    s.submission_id, r.mois, r.salarie, r.fonction, r.fonction_support, r.cout_mensuel, r.taux_affectation,
    a.amount, a.eligible, a.reason, r.line
from lot_rows r
join lot_submissions s on s.network_head = r.reseau and s.year = r.annee and s.quarter = r.trimestre
join lot_assessments a
    on a.year = r.annee and a.monthly_cost = r.cout_mensuel and a.assignment_rate = r.taux_affectation
    and a.support_function = r.fonction_support;
