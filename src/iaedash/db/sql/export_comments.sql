-- Comments of the export: those sent in files (current versions) and those of the review threads,
-- with the reasons of returns and unlocks; oldest first.
with sent as (
    select
        v.network_head, v.year, v.quarter, v.indicator, v.orientation, 'dépôt' as source,
        v.file_name || ' v' || v.version as author, null as role, i.imported_at as happened_at, v.comment as body
    from current_indicator_values_at($as_of) v
    join submissions s on s.submission_id = v.submission_id
    join imports i on i.import_id = s.import_id
    where v.comment is not null
),
thread as (
    select network_head, year, quarter, indicator, orientation, 'fil de suivi' as source,
           actor_name as author, actor_role as role, happened_at, body
    from review_comments_at($as_of)
),
acts as (
    select network_head, year, quarter, null as indicator, null as orientation,
           case action when 'renvoyer' then 'motif de renvoi' when 'deverrouiller' then 'motif de déverrouillage'
                else 'motif : ' || action end as source,
           actor_name as author, actor_role as role, happened_at, reason as body
    from review_events_at($as_of)
    where reason is not null
),
final as (
    select * from sent
    union all by name select * from thread
    union all by name select * from acts
)
select
    network_head as reseau, year as annee, quarter as trimestre, indicator as indicateur, orientation, source,
    author as auteur, role, happened_at as date, body as texte
from final
where ($year is null or year = $year)
  and in_view(network_head, $network_heads, $allowed)
  and (quarter is null or list_contains($quarters, quarter))
order by happened_at, network_head, quarter nulls first, source;
