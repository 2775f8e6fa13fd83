"""Indicateurs: for each indicator, its quarterly evolution per network head, progress against targets, and the
year against the previous one at the same point."""

import streamlit as st

from iaedash import ui
from iaedash.charts.comparison import year_against_year
from iaedash.charts.indicators import progress_against_target, quarterly_evolution
from iaedash.domain.reference import INDICATORS
from iaedash.presenters import comparison as versus
from iaedash.presenters import indicators as frames
from iaedash.presenters.ranking import keep_top, rank_top
from iaedash.reports.comparison import same_point

ui.ensure_navigation()

ui.page_header("Indicateurs", ui.filters())
current = ui.require_filters()
by_quarter = ui.read("indicator_sums", current).by_quarter
conventions = ui.require_conventions(current)
colors = ui.colors()
meeting = ui.meeting_mode()
labels = {i.short: i for i in INDICATORS}
period = same_point(current, ui.day())  # the quarters of the view that have ended: compared with last year's
compared = ui.read("indicator_year_on_year", period) if period else None

for label, section in ui.sections(list(labels), key="indicateur_sujet"):
    ind = labels[label]
    with section:
        where = f"{current.period_label()} – {current.scope_label()}"
        shown = keep_top(frames.evolution(by_quarter, ind.code), by=["quarter"])
        evolution = shown.frame
        ui.chart(
            quarterly_evolution(
                evolution, shown.title(f"{ind.short} par trimestre – {where}"), ind.unit, colors, meeting=meeting
            ),
            evolution.rename(
                columns={
                    "network_head": "Réseau",
                    "quarter": "Trimestre",
                    "value": "Valeur",
                    "sources": "Sources (fichier, version, lignes)",
                }
            ),
            f"iae_{ind.code.lower()}_trimestres_{current.slug()}",
            key=f"evo-{ind.code}",
        )
        ranked = rank_top(frames.progress(by_quarter, conventions, ind.code), value="achieved")
        progress = ranked.frame
        ui.chart(
            progress_against_target(
                progress,
                ranked.title(f"{ind.short} : cumul et objectif annuel – {where}"),
                ind.unit,
                colors,
                meeting=meeting,
            ),
            progress.rename(
                columns={
                    "network_head": "Réseau",
                    "achieved": "Réalisé",
                    "target": "Objectif annuel",
                    "share": "Atteint",
                }
            ),
            f"iae_{ind.code.lower()}_objectifs_{current.slug()}",
            key=f"progress-{ind.code}",
        )
        if compared is None:
            st.info(f"Aucun trimestre de la sélection n'est encore terminé en {current.year} : rien à comparer.")
        elif not compared.previous_known:
            st.info(versus.no_previous_year(compared))
        else:
            ranked = rank_top(versus.indicator_frame(compared, ind.code), value="current")
            now, then = versus.periods(compared.year, compared.previous_year, compared.quarters)
            ui.chart(
                year_against_year(
                    ranked.frame,
                    ranked.title(versus.title(ind.short, compared, current.scope_label())),
                    current_label=now,
                    previous_label=then,
                    colors=colors,
                    unit=ind.unit,
                    meeting=meeting,
                ),
                versus.indicator_data(compared, ind.code),
                f"iae_{ind.code.lower()}_face_a_{compared.previous_year}_{period.slug()}",
                key=f"versus-{ind.code}",
            )
            for sentence in versus.indicator_sentences(compared, ind):
                st.caption(sentence)
        if not meeting:
            st.markdown(f"**Tableau – {ind.label} ({ind.unit}) – {where}**")
            st.dataframe(
                frames.table(by_quarter, conventions, ind.code, current.quarters), hide_index=True, width="stretch"
            )
