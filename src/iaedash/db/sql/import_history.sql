-- Every accepted file, newest first, with what it covered.
select
    i.import_id, i.file_name, i.received_on, i.imported_at, i.sha256,
    string_agg(
        s.kind || ' ' || s.network_head || ' ' || coalesce('T' || s.quarter || ' ', '') || s.year || ' v' || s.version,
        ' ; ' order by s.submission_id
    ) as scopes
from imports i
left join submissions s using (import_id)
group by all
order by i.import_id desc;
