-- Bulk import: what the call's rules need of a staff line; each distinct combination is assessed once.
select distinct
    annee as year, cout_mensuel as monthly_cost, taux_affectation as assignment_rate, fonction_support as support_function
from lot_rows;
