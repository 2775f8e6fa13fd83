"""iaedash entry point: page configuration, who is looking, the shared filter bar and meeting switch,
and the navigation of the viewer's role."""

from pathlib import Path

import streamlit as st

from iaedash import timing, ui
from iaedash.domain.access import Page

# A local image: a :material/…: page icon is fetched from fonts.gstatic.com, and this tool works offline.
FAVICON = Path(ui.__file__).parent / "assets" / "favicon.png"

st.set_page_config(
    page_title="iaedash – têtes de réseaux IAE",
    page_icon=str(FAVICON),
    layout="wide",
    initial_sidebar_state="collapsed" if ui.meeting_requested() else "expanded",
)

SCREENS = {
    Page.OVERVIEW: ("Vue d'ensemble", ":material/dashboard:"),
    Page.INDICATORS: ("Indicateurs", ":material/bar_chart:"),
    Page.ORIENTATIONS: ("Orientations", ":material/explore:"),
    Page.TERRITORIES: ("Territoires", ":material/map:"),
    Page.NETWORK_HEAD: ("Fiche réseau", ":material/badge:"),
    Page.BUDGET: ("Budget – vue d'ensemble", ":material/euro:"),
    Page.BUDGET_DETAIL: ("Budget – détail d'un réseau", ":material/account_balance:"),
    Page.SUBMISSIONS: ("Dépôts", ":material/upload_file:"),
    Page.REVIEW: ("Revue des dépôts", ":material/fact_check:"),
    Page.EXPORTS: ("Exports", ":material/download:"),
    Page.FINAL_REPORT: ("Bilan final", ":material/description:"),
    Page.JOURNAL: ("Journal", ":material/history:"),
}

ui.entry_point_ran()
viewer = ui.sign_in()  # stops here with the sign-in button, or « accès non autorisé », when it must
allowed = ui.pages_of(viewer)
# Four sections at the top of the screen, so that the sidebar holds the filters whole at 1280×720.
SECTIONS = {
    "Suivi": (Page.OVERVIEW, Page.INDICATORS, Page.ORIENTATIONS, Page.TERRITORIES, Page.NETWORK_HEAD),
    "Budget": (Page.BUDGET, Page.BUDGET_DETAIL),
    "Dépôts et revue": (Page.SUBMISSIONS, Page.REVIEW, Page.JOURNAL),
    "Exports et bilans": (Page.EXPORTS, Page.FINAL_REPORT),
}
first = allowed[0]
navigation = st.navigation(
    {
        section: [
            st.Page(f"pages/{page.value}.py", title=SCREENS[page][0], icon=SCREENS[page][1], default=page is first)
            for page in pages
            if page in allowed
        ]
        for section, pages in SECTIONS.items()
        if any(page in allowed for page in pages)
    },
    position="top",
)

ui.database()
with ui.one_connection():  # the run's reads share one read-only connection, opened at the first uncached read
    ui.meeting_toggle()
    ui.filter_bar()
    with timing.script_run(navigation):  # one JSON line per run when $IAEDASH_TIMINGS is set (bench/)
        ui.run_page(navigation)
