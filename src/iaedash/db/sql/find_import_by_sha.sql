-- An already imported file (current or superseded), with the versions it created.
select i.import_id, i.file_name, i.imported_at, i.received_on, list(s.version order by s.submission_id) as versions
from imports i
left join submissions s using (import_id)
where i.sha256 = $sha256
group by all;
