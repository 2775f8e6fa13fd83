"""Territoires: where the activity is — by territory of the Département, and in the areas the call's
cross-cutting aims follow (the coast of the Grand Site des Deux-Caps, the mining basin)."""

import streamlit as st

from iaedash import ui
from iaedash.charts.territories import TERRITORY_AXIS, part_shares, stacked_by_network_head, territory_heatmap
from iaedash.domain.territories import LOCATED_TERRITORIES
from iaedash.presenters import territories as frames
from iaedash.presenters.ranking import keep_top
from iaedash.reports.territories import WHOLE_DEPARTMENT
from iaedash.territories import TerritoriesFileError, load_areas

ui.ensure_navigation()

ui.page_header("Territoires", ui.filters())
current = ui.require_filters()
ui.require_conventions(current)
meeting = ui.meeting_mode()
colors = ui.colors()
where = f"{current.period_label()} – {current.scope_label()}"

# GOUV by default: governance support and on-site legal visits are what network heads most often locate.
ind = ui.indicator_picker(key="territoire_indicateur", default="GOUV")

TOPICS = ["Carte territoire × réseau", "Activité localisée", "Zones de l'appel", "Part des zones"]
for label, section in ui.sections(TOPICS, key="territoire_sujet"):
    with section:
        if label in TOPICS[:2]:
            by_territory = frames.for_indicator(ui.read("territory_sums", current), ind.code)
            if label == "Carte territoire × réseau":
                shown = keep_top(by_territory, by=["territory"])
                ui.chart(
                    territory_heatmap(
                        shown.frame,
                        shown.title(f"{ind.short} par territoire et par réseau – {where}"),
                        ind.unit,
                        meeting=meeting,
                    ),
                    frames.territory_table(shown.frame),
                    f"iae_{ind.code.lower()}_territoires_reseaux_{current.slug()}",
                    key=f"heat-{ind.code}",
                )
            else:
                shown = keep_top(frames.located(by_territory), by=["territory"])
                outside = frames.not_located_note(by_territory, ind.unit)
                axis = {code: TERRITORY_AXIS[code] for code in LOCATED_TERRITORIES}
                ui.chart(
                    stacked_by_network_head(
                        shown.frame.assign(territory=shown.frame["territory"].map(axis)),
                        "territory",
                        list(axis.values()),
                        frames.titled(f"{ind.short} par territoire – {where}", shown.note, outside),
                        ind.unit,
                        colors,
                        meeting=meeting,
                        empty=frames.nothing_located(outside),
                    ),
                    frames.territory_table(shown.frame),
                    f"iae_{ind.code.lower()}_par_territoire_{current.slug()}",
                    key=f"bars-{ind.code}",
                )
            st.caption(frames.DEP_MEANING)
            continue
        try:
            areas = load_areas()
        except TerritoriesFileError as error:
            st.error(
                f"**Zones de l'appel indisponibles** : {error}. Corrigez le fichier des zones ; les autres onglets "
                "de la page restent justes.",
                icon=":material/error:",
            )
            continue
        parts = frames.parts_for_indicator(ui.read("area_sums", current, areas), ind.code)
        if label == "Zones de l'appel":
            shown = keep_top(frames.in_areas(parts, areas), by=["area"])
            axis = frames.area_axis(areas)
            ui.chart(
                stacked_by_network_head(
                    shown.frame.assign(area=shown.frame["area"].map(axis)),
                    "area",
                    list(axis.values()),
                    shown.title(f"{ind.short} dans les zones de l'appel – {where}"),
                    ind.unit,
                    colors,
                    meeting=meeting,
                    empty="Aucune valeur localisée dans une zone de l'appel pour cette sélection.",
                ),
                shown.frame.rename(
                    columns={
                        "network_head": "Réseau",
                        "area": "Zone",
                        "value": "Valeur",
                        "sources": "Sources (fichier, version, lignes)",
                    }
                ),
                f"iae_{ind.code.lower()}_zones_{current.slug()}",
                key=f"areas-{ind.code}",
            )
            st.markdown(frames.area_legend(areas))
        else:
            shown = keep_top(parts, by=["part"])
            rows = frames.shares(shown.frame, parts)
            ui.chart(
                part_shares(
                    rows,
                    shown.title(f"{ind.short} : part de chaque zone – {where}"),
                    frames.part_labels(areas),
                    frames.part_colors(areas),
                    hatched=WHOLE_DEPARTMENT,
                    meeting=meeting,
                ),
                frames.share_table(rows, areas, ind.unit),
                f"iae_{ind.code.lower()}_parts_zones_{current.slug()}",
                key=f"shares-{ind.code}",
            )
            st.caption(
                f"La part de chaque réseau est calculée sur toute son activité ({ind.unit}) de la sélection. "
                + frames.DEP_MEANING
            )
