"""Orientations: how each network head's activity spreads across PRO, MAR, INT and DIV."""

import streamlit as st

from iaedash import ui
from iaedash.charts.orientations import ORIENTATION_NAMES, orientation_heatmap, orientation_shares
from iaedash.presenters import orientations as frames
from iaedash.presenters.ranking import keep_top

ui.ensure_navigation()

ui.page_header("Orientations", ui.filters())
current = ui.require_filters()
by_orientation = ui.read("indicator_sums", current).by_orientation
conventions = ui.require_conventions(current)
meeting = ui.meeting_mode()
where = f"{current.period_label()} – {current.scope_label()}"

gaps = frames.uncovered(by_orientation, list(conventions["network_head"]), list(current.orientations))
if gaps:
    st.warning(
        "Orientations sans aucune activité déclarée : "
        + " ; ".join(f"{ORIENTATION_NAMES[o]} : {', '.join(heads)}" for o, heads in gaps.items())
    )
else:
    st.success(
        f"Chaque tête de réseau de la sélection a déclaré de l'activité dans chacune des orientations ({where})."
    )

ind = ui.indicator_picker(key="orientation_indicateur")
shown = keep_top(frames.for_indicator(by_orientation, ind.code), by=["orientation"])
data = shown.frame
columns = {
    "network_head": "Réseau",
    "orientation": "Orientation",
    "value": "Valeur",
    "sources": "Sources (fichier, version, lignes)",
}

for label, section in ui.sections(
    ["Carte réseau × orientation", "Répartition par réseau", "Répartition par indicateur"], key="orientation_sujet"
):
    with section:
        if label == "Carte réseau × orientation":
            ui.chart(
                orientation_heatmap(
                    data, shown.title(f"{ind.short} par orientation – {where}"), ind.unit, meeting=meeting
                ),
                data.rename(columns=columns),
                f"iae_{ind.code.lower()}_orientations_{current.slug()}",
                key=f"heat-{ind.code}",
            )
        elif label == "Répartition par réseau":
            shares = data.rename(columns={"network_head": "row"})
            ui.chart(
                orientation_shares(
                    shares,
                    shown.title(f"{ind.short} : part de chaque orientation par réseau – {where}"),
                    meeting=meeting,
                ),
                data.rename(columns=columns),
                f"iae_{ind.code.lower()}_parts_orientation_{current.slug()}",
                key=f"shares-{ind.code}",
            )
        else:
            composition = frames.shares_by_indicator(by_orientation)
            ui.chart(
                orientation_shares(
                    composition, f"Part de chaque orientation, par indicateur – {where}", meeting=meeting
                ),
                composition.rename(columns={"row": "Indicateur", "orientation": "Orientation", "value": "Valeur"}),
                f"iae_orientations_par_indicateur_{current.slug()}",
                key="shares-indicators",
            )
            st.caption(
                "Chaque barre compte dans l'unité de son indicateur (actions, ou participants pour les "
                "webinaires) : on compare des parts, jamais des totaux d'indicateurs différents."
            )
