"""The one module outside pages/ that imports Streamlit: bootstrap, the shared filter bar, meeting mode,
cached reads keyed by the data version, and the chart block (figure + its data + its CSV)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from iaedash import demo, exports, store
from iaedash.charts.palette import network_head_colors
from iaedash.domain.reference import INDICATORS, ORIENTATIONS, Indicator
from iaedash.exports import to_french_csv
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.final_report.pack import final_report_pack
from iaedash.formatting import format_date, format_number
from iaedash.reports import budget, common, overview
from iaedash.settings import database_path

_BOOTSTRAP_LOCK = threading.Lock()
LOG = logging.getLogger("iaedash")
UNEXPECTED_ERROR = "Erreur inattendue"

# Readers the pages may call through `read`; each takes the database path first.
READERS: dict[str, Callable[..., Any]] = {
    "years": common.years,
    "network_heads": common.network_heads,
    "as_of": common.as_of,
    "by_quarter": common.by_quarter,
    "by_orientation": common.by_orientation,
    "by_quarter_and_orientation": common.by_quarter_and_orientation,
    "conventions": common.conventions,
    "comments": common.comments,
    "submission_history": common.submission_history,
    "import_history": common.import_history,
    "tiles": overview.tiles,
    "completeness": overview.completeness,
    "alerts": overview.alerts,
    "consumption": budget.consumption,
    "budget_summary": budget.budget_summary,
    "budget_detail": budget.network_head_budget,
    "final_report_pack": final_report_pack,
    "export": exports.build,
}

# Room for the charts at 1280×720: a smaller title and less padding above it.
BASE_CSS = """
<style>
.block-container {padding-top: 2.2rem; padding-bottom: 1rem;}
h1 {padding-top: 0 !important;}
</style>
"""

MEETING_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] {font-size: 19px;}
[data-testid="stMetricValue"] {font-size: 2.6rem;}
[data-testid="stMetricLabel"] p {font-size: 1.05rem;}
</style>
"""


_ENTRY = threading.local()  # set by app.py in the script thread, read by the page that follows it


def entry_point_ran() -> None:
    """Called by app.py on every run, before the page runs in the same thread."""
    _ENTRY.ran = True


def run_page(navigation: Any) -> None:
    """Run the chosen page. An unexpected error is shown in French and logged with its traceback on the
    server: Streamlit's own box is in English and offers « Ask Google » and « Ask ChatGPT » links, which
    would carry the error out of the Département's network."""
    try:
        navigation.run()
    except Exception:
        LOG.exception("page %s failed", getattr(navigation, "title", "?"))
        st.error(
            f"**{UNEXPECTED_ERROR}** : cette page n'a pas pu s'afficher entièrement. Le détail est enregistré "
            f"dans le journal du serveur (le {datetime.now():%d/%m/%Y à %H:%M}) ; signalez-le "
            "en donnant la page et l'heure. Les autres pages restent utilisables.",
            icon=":material/error:",
        )


def ensure_navigation() -> None:
    """Streamlit (1.67) runs a deep link opened first on a freshly started server in its legacy
    « pages/ folder » mode, which runs the page without app.py (no filter bar, no navigation) until
    app.py has called st.navigation once. Called first by every page: when app.py did not run before it,
    switch that mode off and rerun, through app.py this time."""
    ran = getattr(_ENTRY, "ran", False)
    _ENTRY.ran = False
    if not ran:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def database() -> Path:
    """The database the app reads; created with the demo data on a fresh checkout."""
    path = database_path().resolve()
    if not path.exists():
        with _BOOTSTRAP_LOCK:
            if not path.exists():
                with st.spinner("Première ouverture : création de la base avec les données de démonstration…"):
                    demo.load_demo(path)
    return path


def data_version() -> store.DataStatus:
    """Read at every run (a few ms): its version keys every cached read, so a new import shows at once."""
    return store.data_status(database())


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, db: str, version: int, args: tuple) -> Any:
    return READERS[name](Path(db), *args)


def read(name: str, *args: Any) -> Any:
    """A named reader, cached until the next import lands (the import id is part of the key)."""
    return _cached(name, str(database()), data_version().version, args)


def today() -> date:
    """Today's date; the tests pin it with $IAEDASH_TODAY to keep the statuses stable."""
    pinned = os.environ.get("IAEDASH_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


# --- the filter bar (rendered once, in app.py, so every page shares it and the URL keeps it) ---

FILTER_KEYS = ("annee", "reseau", "trimestre", "orientation")


def filter_bar() -> None:
    """Year, network heads, quarters, orientations, bound to the URL so a link reopens the same view."""
    years = read("years")
    heads = read("network_heads")
    with st.sidebar:
        st.header("Filtres")
        if years:
            st.selectbox("Année", years, key="annee", bind="query-params")
        st.multiselect(
            "Têtes de réseaux",
            list(heads["code"]),
            help=network_head_names(heads),  # codes in the widget keep the shared URL short: ?reseau=CABM
            key="reseau",
            placeholder="Toutes les têtes de réseaux",
            bind="query-params",
        )
        st.multiselect(
            "Trimestres",
            list(ALL_QUARTERS),
            default=list(ALL_QUARTERS),
            format_func=lambda q: f"T{q}",
            key="trimestre",
            bind="query-params",
        )
        st.multiselect(
            "Orientations",
            [o.code for o in ORIENTATIONS],
            default=[o.code for o in ORIENTATIONS],
            help="\n".join(f"- {o.code} : {o.label}" for o in ORIENTATIONS),
            key="orientation",
            bind="query-params",
        )


def network_head_names(heads: pd.DataFrame) -> str:
    """« - CABM : Coordination… », one line per network head: the help of every place that shows codes only."""
    return "\n".join(f"- {c} : {n}" for c, n in zip(heads["code"], heads["name"], strict=True))


def filters() -> Filters | None:
    """The filter bar's current values; None when there is no year to show yet."""
    year = st.session_state.get("annee")
    if year is None:
        return None
    return Filters(
        year=int(year),
        network_heads=tuple(sorted(st.session_state.get("reseau") or ())),
        quarters=tuple(sorted(st.session_state.get("trimestre") or ())),
        orientations=tuple(o.code for o in ORIENTATIONS if o.code in (st.session_state.get("orientation") or ())),
    )


def meeting_mode() -> bool:
    return bool(st.session_state.get("reunion"))


def meeting_requested() -> bool:
    """Before the widgets run (page config), the URL or the session says whether meeting mode is on."""
    return bool(st.session_state.get("reunion", st.query_params.get("reunion") == "true"))


def meeting_toggle() -> None:
    """« Mode réunion »: sidebar collapsed, larger text, one topic per screen, no staff-level detail."""
    with st.sidebar:
        st.toggle(
            "Mode réunion",
            key="reunion",
            bind="query-params",
            help="Pour partager l'écran en réunion de suivi : barre latérale repliée, textes agrandis, "
            "un sujet par écran, aucun détail nominatif. Rouvrez la barre latérale (») pour en sortir.",
        )
    st.markdown(BASE_CSS + (MEETING_CSS if meeting_mode() else ""), unsafe_allow_html=True)
    # The page is French, but Streamlit's own HTML says lang="en": screen readers would read it with
    # English phonetics (RGAA 8.3 / 8.4). Streamlit has no setting for it.
    st.html("<script>document.documentElement.lang = 'fr';</script>", unsafe_allow_javascript=True)


# --- what every screen says about itself ---


def page_header(title: str, current: Filters | None) -> None:
    """Title, demo banner, and the as-of line with the active filters: a screenshot says what it shows."""
    status = data_version()
    st.set_page_config(page_title=f"{title} – iaedash")  # one title per page, for tabs and screen readers
    st.title(title)
    asof = read("as_of")
    parts = []
    if asof.data_as_of:
        parts.append(f"Données au {format_date(asof.data_as_of)}")
    if asof.last_imported_at:
        parts.append(
            f"dernier dépôt importé le {format_date(asof.last_imported_at.date())} à {asof.last_imported_at:%H:%M}"
        )
    if current is not None:
        parts.append(f"filtres : {current.describe()}")
    line = " · ".join(parts) if parts else "Aucun dépôt importé pour l'instant."
    if status.demo and meeting_mode():  # one line, so that the chart fits on a shared 1280×720 screen
        st.markdown(f":orange-background[**Données de démonstration fictives**] · {line}")
        return
    if status.demo:
        st.warning(
            "**Données de démonstration fictives** : les réseaux, montants et indicateurs affichés sont inventés.",
            icon=":material/warning:",
        )
    st.caption(line)


def require_filters() -> Filters:
    """Stop the page with a sentence when there is nothing to show (no convention, empty filter)."""
    current = filters()
    if current is None:
        st.info(
            "Aucune convention n'est encore importée : importez d'abord les conventions (page Dépôts ou "
            "« iaedash import »)."
        )
        st.stop()
    if not current.quarters:
        st.info("Aucun trimestre n'est sélectionné dans les filtres : choisissez au moins un trimestre.")
        st.stop()
    if not current.orientations:
        st.info("Aucune orientation n'est sélectionnée dans les filtres : choisissez au moins une orientation.")
        st.stop()
    return current


def require_conventions(current: Filters) -> pd.DataFrame:
    """The conventions of the selection; stops the page with a sentence when there is none."""
    conventions = read("conventions", current)
    if conventions.empty:
        st.info(f"Aucune tête de réseau n'a de convention {current.year} dans cette sélection.")
        st.stop()
    return conventions


def network_head_picker(current: Filters, key: str) -> tuple[str, str, pd.DataFrame]:
    """One network head among those with a convention in the selection, bound to the URL under `key`
    (codes as options keep a shared link short). Stops the page with a sentence when there is none.
    Returns its code, its name and the conventions of the selection."""
    conventions = require_conventions(current)
    names = dict(zip(conventions["network_head"], conventions["name"], strict=True))
    head = st.selectbox(
        "Tête de réseau",
        list(names),
        help="\n".join(f"- {code} : {name}" for code, name in names.items()),
        key=key,
        bind="query-params",
    )
    return head, names[head], conventions


def indicator_picker(key: str, default: str = "FORM") -> Indicator:
    """One indicator at a time (their units differ, they are never added together)."""
    by_code = {i.code: i for i in INDICATORS}
    chosen = st.segmented_control(
        "Indicateur", list(by_code), default=default, format_func=lambda c: by_code[c].short, key=key
    )
    return by_code[chosen or default]


def colors() -> dict[str, str]:
    """The colour of every network head known, fixed by its rank among all of them."""
    return network_head_colors(list(read("network_heads")["code"]))


def sections(labels: list[str], key: str) -> Iterator[tuple[str, Any]]:
    """Tabs normally; in meeting mode one topic per screen, chosen with a segmented control."""
    if meeting_mode():
        chosen = st.segmented_control("Sujet", labels, default=labels[0], key=key, label_visibility="collapsed")
        chosen = chosen or labels[0]
        yield chosen, st.container()
        return
    yield from zip(labels, st.tabs(labels), strict=True)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimal money shown with French separators on screen; the CSV keeps the exact values."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].map(lambda v: isinstance(v, Decimal)).any():
            shown[column] = shown[column].map(lambda v: format_number(v, 2) if isinstance(v, Decimal) else v)
    return shown


def chart(fig: go.Figure, data: pd.DataFrame, file_stem: str, key: str) -> None:
    """A figure with its data one click away and a French-Excel CSV of exactly what it shows."""
    # theme=None: the house style, not Streamlit's grey axis text (3.7:1 on white, below the 4.5:1 of RGAA 3.2)
    st.plotly_chart(fig, width="stretch", theme=None, config={"displaylogo": False}, key=f"fig-{key}")
    with st.expander("Données du graphique et leur source"):
        st.dataframe(for_display(data), hide_index=True, width="stretch")
        st.download_button(
            "Télécharger en CSV (Excel)",
            data=to_french_csv(data),
            file_name=f"{file_stem}.csv",
            mime="text/csv",
            key=f"csv-{key}",
            on_click="ignore",
        )
