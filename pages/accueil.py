"""Vue d'ensemble: the six indicators, who sent what, and what needs action."""

import streamlit as st

from iaedash import ui
from iaedash.charts.palette import STATUS_COLORS
from iaedash.charts.tables import completeness_table, style_statuses
from iaedash.presenters import overview as present

ui.ensure_navigation()

ui.page_header("Vue d'ensemble", ui.filters())
current = ui.require_filters()
period = current.period_label()

for label, section in ui.sections(["Indicateurs", "Complétude des dépôts", "Alertes"], key="accueil_sujet"):
    with section:
        if label == "Indicateurs":
            st.header(f"Les six indicateurs – {period} – {current.scope_label()}")
            tiles = [present.tile_text(t, period) for t in ui.read("tiles", current)]
            for row in (tiles[:3], tiles[3:]):
                for tile, column in zip(row, st.columns(3), strict=True):
                    column.metric(tile.title, tile.value, delta=tile.delta, help=tile.help, border=True)
                    column.caption(tile.caption)
        elif label == "Complétude des dépôts":
            st.header(f"Dépôts trimestriels reçus – {current.year} – {current.scope_label()}")
            grid = ui.read("completeness", current, ui.day())
            if grid.empty:
                st.info(f"Aucune tête de réseau n'a de convention {current.year} dans cette sélection.")
            else:
                shown, states = completeness_table(grid)
                names = ui.network_head_names(ui.read("network_heads", current.as_of))
                st.dataframe(
                    style_statuses(shown, states),
                    hide_index=True,
                    width="stretch",
                    column_config={"Réseau": st.column_config.TextColumn(help=names, pinned=True)},
                )
                st.caption(
                    "Légende : "
                    + " · ".join(f"{status}" for status in STATUS_COLORS)
                    + ". Un trimestre est dû 30 jours après sa fin ; la date est celle de la première version reçue ; "
                    "« (v2) » : une version corrigée a été reçue depuis ; « · validé », « · à corriger », "
                    "« · verrouillé » : l'état de sa revue par la Direction."
                )
        else:
            st.header(f"Alertes à traiter – {period} – {current.scope_label()}")
            alerts = ui.read("alerts", current, ui.day())
            if not alerts:
                st.success("Aucune alerte pour cette sélection.")
            else:
                st.write(present.alert_counts(alerts))
                # A list, not a grid: each sentence wraps and is read whole on a 1280-pixel shared screen.
                st.markdown("\n".join(f"- {line}" for line in present.alert_lines(alerts, current)))
