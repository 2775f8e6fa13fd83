-- Bulk import: every checked indicator row (`lot_rows`) under its scope's new submission.
insert into indicator_values (submission_id, orientation, indicator, territory, value, comment, source_line)
select s.submission_id, r.orientation, r.indicateur, r.territoire, r.valeur, r.commentaire, r.line
from lot_rows r
join lot_submissions s on s.network_head = r.reseau and s.year = r.annee and s.quarter = r.trimestre;
