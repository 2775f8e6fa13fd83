-- Current indicator values, one row per network head, year, quarter, orientation, indicator, territory.
-- Zero values are left out: an absent combination counts as 0. $year null = every year.
with values_ as (
    select network_head, year, quarter, orientation, indicator, territory, value, comment
    from mart_indicator_values($as_of)
    where value <> 0
      and ($year is null or year = $year)
      and in_view(network_head, $network_heads, $allowed)
      and list_contains($quarters, quarter)
      and list_contains($orientations, orientation)
),
final as (
    select
        v.network_head as reseau, v.year as annee, v.quarter as trimestre,
        v.orientation, v.indicator as indicateur, v.territory as territoire, v.value as valeur,
        v.comment as commentaire
    from values_ v
    join orientations o on o.code = v.orientation
    join indicators i on i.code = v.indicator
    join territories t on t.code = v.territory
    order by v.network_head, v.year, v.quarter, o.position, i.position, t.position
)
select * from final;
