-- Every accepted file with what it covered and whether its versions are still current.
with scopes as (
    select
        s.import_id,
        string_agg(
            s.kind || ' ' || s.network_head || ' ' || coalesce('T' || s.quarter || ' ', '') || s.year || ' v' || s.version,
            ' ; ' order by s.submission_id
        ) as scopes,
        bool_and(c.submission_id is not null) as all_current,
        bool_or(c.submission_id is not null) as any_current
    from submissions_received($as_of) s
    left join current_submissions_at($as_of) c using (submission_id)
    where ($year is null or s.year = $year)
      and in_view(s.network_head, $network_heads, $allowed)
    group by s.import_id
)
select i.import_id as numero, i.file_name as fichier, i.sha256, i.received_on as recu_le,
       i.imported_at as importe_le, s.scopes as perimetres,
       case when s.all_current then 'accepté, version courante'
            when s.any_current then 'accepté, en partie remplacé'
            else 'accepté, remplacé depuis' end as resultat
from imports i
join scopes s using (import_id)
order by i.import_id;
