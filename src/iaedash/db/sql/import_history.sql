-- Every accepted file the viewer may see (a network head's account: the files about its own network heads),
-- newest first, with what it covered and who imported it.
with scopes as (
    select
        s.import_id,
        string_agg(
            s.kind || ' ' || s.network_head || ' ' || coalesce('T' || s.quarter || ' ', '') || s.year
            || ' v' || s.version,
            ' ; ' order by s.submission_id
        ) as scopes,
        bool_and(visible(s.network_head, $allowed)) as all_visible
    from submissions_received($as_of) s
    group by s.import_id
)
select i.import_id, i.file_name, i.received_on, i.imported_at, i.sha256, s.scopes, a.actor_name as imported_by
from imports i
join scopes s using (import_id)
left join import_authors a using (import_id)
where s.all_visible
order by i.import_id desc;
