"""The one module outside pages/ that imports Streamlit: bootstrap, the shared filter bar, meeting mode,
cached reads keyed by the data version, and the chart block (figure + its data + its CSV)."""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from iaedash import demo, exports, journal, review, store
from iaedash.access import AccessFileError, load_access
from iaedash.charts.palette import OTHERS_COLOR
from iaedash.db.connection import reads_shared
from iaedash.db.schema import init_database
from iaedash.documents import fiche
from iaedash.domain.access import PAGES, ROLE_LABELS, AccessDenied, AccessRule, Page, Viewer, resolve
from iaedash.domain.reference import INDICATORS, ORIENTATIONS, Indicator
from iaedash.domain.review import MAX_TEXT
from iaedash.exports import to_french_csv
from iaedash.filters import ALL_QUARTERS, Filters
from iaedash.final_report.pack import build_document
from iaedash.formatting import format_date, format_number
from iaedash.presenters.calls import hypothesis_notice
from iaedash.presenters.ranking import OTHERS
from iaedash.reports import budget, common, comparison, overview, reminders, summary, territories
from iaedash.settings import access_file, database_path, public_url

_BOOTSTRAP_LOCK = threading.Lock()
LOG = logging.getLogger("iaedash")
UNEXPECTED_ERROR = "Erreur inattendue"

# Readers the pages may call through `read`; each takes the database path, then the viewer, first: a page
# cannot read without saying who is looking, and each reader returns only what that viewer may see.
READERS: dict[str, Callable[..., Any]] = {
    "years": common.years,
    "network_heads": common.network_heads,
    "colours": common.colours,
    "as_of": common.as_of,
    "indicator_sums": common.indicator_sums,
    "conventions": common.conventions,
    "comments": common.comments,
    "submission_history": common.submission_history,
    "import_history": common.import_history,
    "territory_sums": territories.territory_sums,
    "area_sums": territories.area_sums,
    "tiles": overview.tiles,
    "completeness": overview.completeness,
    "alerts": overview.alerts,
    "reminders": reminders.reminders,
    "consumption": budget.consumption,
    "budget_summary": budget.budget_summary,
    "budget_detail": budget.network_head_budget,
    "indicator_year_on_year": comparison.indicator_year_on_year,
    "budget_year_on_year": comparison.budget_year_on_year,
    "final_report_document": build_document,
    "fiche_pdf": fiche.build,
    "export": exports.build,
    "review_states": review.review_states,
    "threads": review.threads,
    "quarter_summary": summary.quarter_summary,
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
    """Called by app.py on every run, before the page runs in the same thread; who is looking is settled
    again by `sign_in` at every run."""
    _ENTRY.ran = True
    _ENTRY.viewer = None
    _ENTRY.status = None


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
        _ENTRY.viewer = _ENTRY.status = None  # no read without app.py's sign-in
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


_SCHEMA_CHECKED: set[Path] = set()


def database() -> Path:
    """The database the app reads; created with the demo data on a fresh checkout, and brought to the current
    schema once per process (a database of an earlier version gains the review and journal tables)."""
    path = database_path().resolve()
    if path not in _SCHEMA_CHECKED:
        with _BOOTSTRAP_LOCK:
            if not path.exists():
                with st.spinner("Première ouverture : création de la base avec les données de démonstration…"):
                    demo.load_demo(path)
            elif path not in _SCHEMA_CHECKED:
                init_database(path)
            _SCHEMA_CHECKED.add(path)
    return path


@st.cache_resource(max_entries=16, show_spinner=False)
def _status(db: str, signature: tuple) -> store.DataStatus:
    return store.data_status(Path(db))


def one_connection() -> AbstractContextManager[None]:
    """For app.py: the reads of this run share one read-only connection (see db.connection.reads_shared)."""
    return reads_shared(database())


def data_version() -> store.DataStatus:
    """How current the data are, settled once per run: its version keys every cached read, so a new import or
    review act shows at once. The database is opened only when its files changed on disk (any commit writes
    the file or its WAL), so a rerun costs two `stat` calls, not a connection."""
    known = getattr(_ENTRY, "status", None)
    if known is None:
        path = database()
        known = _ENTRY.status = _status(str(path), store.file_signature(path))
    return known


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(name: str, db: str, version: str, viewer: Viewer, args: tuple) -> Any:
    return READERS[name](Path(db), viewer, *args)


def read(name: str, *args: Any) -> Any:
    """A named reader for the signed-in viewer, cached until the data change (the data version and the viewer
    are part of the key, so a cached result is never served to someone else)."""
    return _cached(name, str(database()), data_version().version, viewer(), args)


def on_request(name: str, *args: Any) -> Callable[[], Any]:
    """The same reader, run only when asked for (a download button's `data`): a document costs a tenth of a
    second to build, and most visits of a page download nothing. The viewer is the one of this run."""
    return functools.partial(READERS[name], database(), viewer(), *args)


# --- who is looking ---

SIGN_IN_TITLE = "iaedash – suivi des têtes de réseaux IAE"
LOCAL_MODE = "mode local : sans connexion, réservé à ce poste"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def viewer() -> Viewer:
    """The viewer settled by app.py in this run; a read without it is refused, never served to anyone."""
    found = getattr(_ENTRY, "viewer", None)
    if found is None:
        raise AccessDenied("lecture sans connexion établie par app.py")
    return found


def auth_configured() -> bool:
    """Sign-in is on when `.streamlit/secrets.toml` has an `[auth]` section."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all: Streamlit raises rather than answer « no »
        return False


def is_loopback(host: str | None) -> bool:
    """« 127.0.0.1:8501 », « localhost », « [::1]:8501 » are this computer; anything else is the network."""
    if not host:
        return False
    name = host.strip().lower()
    if name.startswith("["):
        name = name[: name.find("]") + 1]
    elif name.count(":") == 1:
        name = name.split(":")[0]
    return name in LOOPBACK


@st.cache_resource(show_spinner=False)
def _access_rules(path: str, mtime: float) -> list[AccessRule]:
    return load_access(Path(path))


def access_rules() -> list[AccessRule]:
    """The roles file, read again when it changes on disk; an error stops the app (never open access)."""
    path = access_file()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _access_rules(str(path), mtime)


def _alone(render: Callable[[], None], title: str) -> None:
    """Show one screen and nothing else: its own navigation of one hidden page, so that Streamlit does not list
    the scripts of pages/ in the sidebar (its fallback when app.py stops before calling st.navigation)."""
    st.navigation([st.Page(render, title=title, url_path="connexion")], position="hidden").run()
    st.stop()


def _stop_with(message: str) -> None:
    def screen() -> None:
        st.title(SIGN_IN_TITLE)
        st.error(message, icon=":material/block:")

    _alone(screen, "Accès impossible")


def sign_in() -> Viewer:
    """Who is looking, settled at every run before any read.

    Without `[auth]`: the local mode, for one person at this computer — refused if the server listens on,
    or is reached through, anything but the loopback. With `[auth]`: nothing but the sign-in button until
    signed in; an address the roles file does not know sees « accès non autorisé » and is journaled.
    """
    _ENTRY.viewer = None
    if not auth_configured():
        address = st.get_option("server.address")
        host = st.context.headers.get("Host") if st.context.headers else None
        if not is_loopback(address) or (host is not None and not is_loopback(host)):
            _stop_with(
                "Mode local refusé : sans connexion (section [auth] de .streamlit/secrets.toml), iaedash ne "
                "s'ouvre que sur ce poste (adresse 127.0.0.1). Pour une équipe, mettez en service la connexion : "
                "voir « Mettre en service pour une équipe » dans le README."
            )
        _ENTRY.viewer = Viewer.local_user()
        return _ENTRY.viewer
    try:
        rules = access_rules()
    except AccessFileError as error:
        LOG.error("roles file: %s", error)
        _stop_with(f"Fichier des accès invalide – l'application reste fermée : {error}.")
    if not st.user.get("is_logged_in", False):

        def screen() -> None:
            st.title(SIGN_IN_TITLE)
            st.write(
                "Tableau de bord de la Direction des Politiques d'Inclusion Durable du Département du "
                "Pas-de-Calais. Connectez-vous avec votre compte pour continuer."
            )
            st.button("Se connecter", type="primary", on_click=st.login, key="connexion", icon=":material/login:")

        _alone(screen, "Connexion")
    email = st.user.get("email")
    # ProConnect gives given_name and usual_name rather than name; without any, the address is the name.
    name = st.user.get("name") or " ".join(
        str(part)
        for part in (st.user.get("given_name"), st.user.get("usual_name") or st.user.get("family_name"))
        if part
    )
    found = resolve(rules, email, name or None) if st.user.get("email_verified", True) is not False else None
    if found is None:
        _deny(str(email or st.user.get("sub") or "adresse inconnue"))
    _ENTRY.viewer = found
    with st.sidebar:
        st.markdown(
            f"Connecté : **{found.name}**  \n{ROLE_LABELS[found.role]}"
            + (f" ({', '.join(sorted(found.network_heads))})" if found.network_heads else "")
        )
        st.button("Se déconnecter", on_click=st.logout, key="deconnexion", icon=":material/logout:")
    return found


def contact_rules() -> tuple[tuple[AccessRule, ...], str | None]:
    """The roles file's entries, for the network heads' addresses of a reminder, and what went wrong reading
    it. With sign-in it is the file the app already runs on; in local mode it is optional (none: no address
    known) and a broken one is said, not fatal (it opens nothing to anyone there)."""
    if auth_configured():
        return tuple(access_rules()), None
    if not access_file().exists():
        return (), None
    try:
        return tuple(access_rules()), None
    except AccessFileError as error:
        return (), str(error)


def app_url() -> str:
    """The app's public address for the links sent to network heads (settings.public_url)."""
    redirect = None
    if auth_configured():
        redirect = st.secrets["auth"].get("redirect_uri")
    return public_url(redirect)


def pages_of(who: Viewer) -> list[Page]:
    """The navigation of the viewer's role; a page left out cannot be opened, even by a typed link."""
    return list(PAGES[who.role])


def _deny(email: str) -> None:
    """« Accès non autorisé », no data, and the attempt in the journal (once per session)."""
    if st.session_state.get("acces_refuse_note") != email:
        try:
            journal.record(
                database(),
                None,
                journal.JournalAction.ACCESS_REFUSED,
                f"connexion de {email} : adresse absente du fichier des accès",
                email=email,
            )
            st.session_state["acces_refuse_note"] = email
        except Exception:  # the refusal stands even if the journal cannot be written now
            LOG.exception("could not journal a refused sign-in")

    def screen() -> None:
        st.title(SIGN_IN_TITLE)
        st.error(
            f"**Accès non autorisé** : l'adresse {email} n'a pas de rôle dans iaedash. Si vous devez y avoir "
            "accès, demandez-le à la Direction des Politiques d'Inclusion Durable.",
            icon=":material/block:",
        )
        st.button("Se déconnecter", on_click=st.logout, key="deconnexion_refus")

    _alone(screen, "Accès non autorisé")


def today() -> date:
    """Today's date; the tests pin it with $IAEDASH_TODAY to keep the statuses stable."""
    pinned = os.environ.get("IAEDASH_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


# The first day the « au » picker offers: before any call this tool serves.
FIRST_DAY = date(2020, 1, 1)


def as_of() -> date | None:
    """The day the figures stand at, from the « Données au » picker (`?au=AAAA-MM-JJ`): None for today, so that
    the reads take everything received so far."""
    chosen = st.session_state.get("au")
    return chosen if isinstance(chosen, date) and chosen < today() else None


def day() -> date:
    """The day statuses are computed at (due, late, missing; time elapsed): the as-of day, else today."""
    return as_of() or today()


# --- the filter bar (rendered once, in app.py, so every page shares it and the URL keeps it) ---

FILTER_KEYS = ("au", "annee", "reseau", "trimestre", "orientation")


def filter_bar() -> None:
    """The as-of day, year, network heads, quarters, orientations, bound to the URL so a link reopens the same
    view — on the same day."""
    with st.sidebar:
        st.header("Filtres")
        st.date_input(
            "Données au",
            value=today(),
            min_value=FIRST_DAY,
            max_value=today(),
            format="DD/MM/YYYY",
            key="au",
            bind="query-params",
            help="Le tableau de bord tel qu'il était ce jour-là : les dépôts reçus jusqu'à ce jour inclus (les "
            "versions courantes d'alors), les retards et l'état de la revue à cette date. Par défaut : aujourd'hui.",
        )
    years = read("years", as_of())
    heads = read("network_heads", as_of())
    with st.sidebar:
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
        as_of=as_of(),
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
    past = as_of()
    asof = read("as_of", past)
    parts = []
    if past is not None:
        parts.append(f"**État au {format_date(past)}** (reconstitué)")
    if asof.data_as_of:
        received = format_date(asof.data_as_of)
        parts.append(f"dernier dépôt reçu le {received}" if past else f"Données au {received}")
    if asof.last_imported_at and past is None:  # in the past, when a file was imported says nothing of that day
        parts.append(
            f"dernier dépôt importé le {format_date(asof.last_imported_at.date())} à {asof.last_imported_at:%H:%M}"
        )
    if current is not None:
        parts.append(f"filtres : {current.describe()}")
        notice = hypothesis_notice(current.year)  # said once per screen, in this line that every screenshot keeps
        if notice:
            parts.append(notice)
    line = " · ".join(parts) if parts else "Aucun dépôt importé pour l'instant."
    if viewer().local:
        line = f"{line} · {LOCAL_MODE}"
    if status.demo and meeting_mode():  # one line, so that the chart fits on a shared 1280×720 screen
        st.markdown(f":orange-background[**Données de démonstration fictives**] · {line}")
        return
    if past is not None and not meeting_mode():
        st.info(
            f"**Tableau de bord au {format_date(past)}** : dépôts reçus jusqu'à ce jour inclus, retards et revue à "
            "cette date. Pour revenir à aujourd'hui, remettez « Données au » à la date du jour.",
            icon=":material/history:",
        )
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
    """The colour of every network head the viewer sees, fixed by its rank among all of them, and the grey of
    « autres » (the network heads a crowded chart adds up)."""
    return {**read("colours"), OTHERS: OTHERS_COLOR}


def sections(labels: list[str], key: str) -> Iterator[tuple[str, Any]]:
    """The one section on screen, and only it is built: tabs that rerun when another is chosen (Streamlit's
    lazy tabs), or in meeting mode a segmented control, one topic per screen. Both are bound to the URL under
    `key`, so a shared link opens the same section."""
    if meeting_mode():
        chosen = st.segmented_control(  # required: clicking the open topic again keeps it open
            "Sujet",
            labels,
            default=labels[0],
            key=key,
            label_visibility="collapsed",
            bind="query-params",
            required=True,
        )
        yield chosen or labels[0], st.container()
        return
    for label, tab in zip(labels, st.tabs(labels, key=key, on_change="rerun", bind="query-params"), strict=True):
        if tab.open:
            yield label, tab


def comment_form(network_head: str, year: int, key: str) -> None:
    """Add a comment to a quarter's (or the convention's) thread, optionally about one value."""
    who = viewer()
    if not who.may_comment or not who.sees(network_head):
        return
    if st.session_state.pop(f"{key}_ok", False):
        st.success("Commentaire enregistré : il est visible de la Direction et de la tête de réseau.")
    periods = [1, 2, 3, 4, None]
    with st.form(key, clear_on_submit=True, border=True):
        st.markdown(f"**Écrire dans le fil de suivi de {network_head}**")
        left, middle, right = st.columns(3)
        quarter = left.selectbox(
            "Période", periods, format_func=lambda q: f"T{q} {year}" if q else f"convention {year}", key=f"{key}_p"
        )
        indicator = middle.selectbox(
            "Sur une valeur (facultatif)",
            [None, *[i.code for i in INDICATORS]],
            format_func=lambda c: "tout le trimestre" if c is None else c,
            key=f"{key}_i",
        )
        orientation = right.selectbox(
            "Orientation de la valeur",
            [None, *[o.code for o in ORIENTATIONS]],
            format_func=lambda c: "–" if c is None else c,
            key=f"{key}_o",
        )
        body = st.text_area("Commentaire", max_chars=MAX_TEXT, key=f"{key}_t")
        sent = st.form_submit_button("Envoyer le commentaire")
    if sent:
        try:
            review.add_comment(database(), who, review.Scope(network_head, year, quarter), body, indicator, orientation)
        except review.CommentRefused as error:
            st.error(f"Commentaire non enregistré : {error}.")
        else:  # run again so that the thread above shows it
            st.session_state[f"{key}_ok"] = True
            st.rerun()


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
