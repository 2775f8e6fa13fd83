"""Sign-in in Chromium through a real OpenID Connect provider: what each role is shown, and what it is not.

Each test signs in through the provider's own form in a fresh browser profile. The pages' HTML (not only
their visible text) is searched for staff identifiers and for other network heads' codes; a copy of the app
whose read-layer restriction is switched off must fail the same checks, so they can fail.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo_truth import staff_lines
from oidc import USERS, Provider, running_provider, signed_app
from screen import EMPLOYEE, OUTPUT, Screen
from server import ROOT, App, copy_demo
from viewers import MANAGER

from iaedash import journal
from iaedash.domain.reference import INDICATORS

CODES = {"CABM", "CETTI", "CHOPAL", "FEIAL", "ISARR", "URQLL"}
CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(CODES)) + r")(?![A-Za-z])")


def codes_in(html: str) -> set[str]:
    """The demo's network head codes anywhere in a page's HTML (« FEIAL_2025… » included)."""
    return set(CODE.findall(html))


DASHBOARDS = [
    "Vue d'ensemble",
    "Indicateurs",
    "Orientations",
    "Territoires",
    "Fiche réseau",
    "Budget – vue d'ensemble",
    "Budget – détail d'un réseau",
]
NAVIGATION = {
    "lecteur": DASHBOARDS,
    "analyste": [*DASHBOARDS, "Exports", "Bilan final"],
    "gestionnaire": [*DASHBOARDS, "Dépôts", "Revue des dépôts", "Journal", "Exports", "Bilan final"],
    "cabm": [
        "Indicateurs",
        "Orientations",
        "Territoires",
        "Fiche réseau",
        "Budget – détail d'un réseau",
        "Dépôts",
        "Bilan final",
    ],
}
PATHS = {
    "Vue d'ensemble": "",
    "Indicateurs": "indicateurs",
    "Orientations": "orientations",
    "Territoires": "territoires",
    "Fiche réseau": "fiche_reseau",
    "Budget – vue d'ensemble": "budget",
    "Budget – détail d'un réseau": "budget_reseau",
    "Dépôts": "depots",
    "Revue des dépôts": "revue",
    "Exports": "exports",
    "Bilan final": "bilan_final",
    "Journal": "journal",
}
# For a network head's account its default page (Fiche réseau) is the root.
CABM_PATHS = {**PATHS, "Fiche réseau": "", "Vue d'ensemble": "accueil"}
# Every network head picker of the app, by its URL key: a link typed by hand to another network head.
PICKERS = {"fiche_reseau": "fiche", "budget_reseau": "budget_reseau", "bilan_final": "bilan"}


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider() as running:
        yield running


@pytest.fixture(scope="module")
def team_app(chromium_path: str, demo_db_template: Path, provider: Provider, tmp_path_factory) -> Iterator[App]:
    """The demo with sign-in on, roles from tests/data/acces.toml."""
    folder = tmp_path_factory.mktemp("e2e-equipe")
    db = copy_demo(demo_db_template, folder / "base")
    with signed_app(db, OUTPUT / "streamlit-equipe.log", provider, folder / "secrets") as app:
        yield app


@pytest.fixture(scope="module")
def open_app(chromium_path: str, demo_db_template: Path, provider: Provider, tmp_path_factory) -> Iterator[App]:
    """A copy of the app whose read-layer restriction is switched off: every viewer may see everything."""
    folder = tmp_path_factory.mktemp("app-sans-restriction")
    shutil.copytree(ROOT / "pages", folder / "pages")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    source = (ROOT / "app.py").read_text(encoding="utf-8")
    breakage = (
        "from iaedash.domain.access import Viewer\n"
        "Viewer.allowed = lambda self: None\n"
        "Viewer.sees = lambda self, network_head: True\n"
        "Viewer.sees_staff_lines = lambda self, network_head: True\n"
    )
    (folder / "app.py").write_text(breakage + source, encoding="utf-8")
    db = copy_demo(demo_db_template, folder / "base")
    with signed_app(db, OUTPUT / "streamlit-sans-restriction.log", provider, folder / "secrets", folder) as app:
        yield app


def test_nothing_is_shown_before_sign_in_but_the_button(team_app: App, screen: Screen):
    """The home page and a deep link to a network head's staff lines: the sign-in screen alone."""
    for url in (team_app.url(), team_app.url("budget_reseau", budget_reseau="CABM")):
        screen.open(url)
        screen.screenshot("connexion--avant")
        assert screen.page.get_by_role("button", name="Se connecter").count() == 1
        assert screen.navigation() == []
        assert screen.page.locator('[data-testid="stSidebar"]').count() == 0
        html = screen.html()
        assert not codes_in(html), "a network head code is in the page before sign-in"
        assert not EMPLOYEE.findall(html)
        screen.assert_accessible("connexion--avant")


@pytest.mark.parametrize("sub", list(NAVIGATION))
def test_each_role_gets_its_pages_and_its_name_in_the_sidebar(team_app: App, screen: Screen, sub: str):
    screen.sign_in(team_app.url(), sub)
    assert screen.navigation() == NAVIGATION[sub]
    opened = "Fiche réseau" if sub == "cabm" else "Vue d'ensemble"  # the page a role opens on
    assert screen.page.locator('[data-testid="stMain"] h1').first.inner_text() == opened
    _email, name = USERS[sub]
    sidebar = screen.sidebar()
    assert name in sidebar and "Se déconnecter" in sidebar
    assert "mode local" not in screen.text()
    screen.screenshot(f"connexion--{sub}")


def reader_sees_no_staff_line(app: App, screen: Screen) -> None:
    """A lecteur on every page and tab of its role, in and out of meeting mode, and the monthly budget chart's
    CSV: no staff identifier in any HTML or download."""
    employees = {line["employee"] for year in (2025, 2026) for line in staff_lines(year)}
    screen.sign_in(app.url(), "lecteur")
    # the budget detail first: where staff lines would be, so that a leak fails at once
    for title in sorted(NAVIGATION["lecteur"], key=lambda t: t != "Budget – détail d'un réseau"):
        for meeting in (False, True):
            params = {"reunion": "true"} if meeting else {}
            screen.open(app.url(PATHS[title], **params))
            for index, tab in enumerate(screen.tabs() or [""]):
                if index:
                    screen.show_tab(tab)
                found = set(EMPLOYEE.findall(screen.html())) & employees
                assert not found, f"staff identifiers {sorted(found)} in the HTML of {title} / {tab}"
    screen.open(app.url("budget_reseau", budget_reseau="CABM"))
    screen.show_tab("Lignes de personnel")
    assert "ne sont pas ouvertes à votre rôle" in screen.text()
    screen.screenshot("connexion--lecteur--lignes-de-personnel")
    screen.show_tab("Mois par mois")
    data, _ = screen.download_first_chart_csv()
    assert not set(EMPLOYEE.findall(data.decode("utf-8-sig"))) & employees


def test_a_reader_never_receives_a_staff_line(team_app: App, screen: Screen):
    reader_sees_no_staff_line(team_app, screen)


def test_a_reader_typing_the_link_of_another_role_s_page_gets_none_of_it(team_app: App, screen: Screen):
    """Exports, Dépôts, Revue, Journal and Bilan final typed in the address bar: none of their content."""
    screen.sign_in(team_app.url(), "lecteur")
    for title in ("Exports", "Dépôts", "Revue des dépôts", "Journal", "Bilan final"):
        screen.open(team_app.url(PATHS[title]))
        assert screen.page.locator('[data-testid="stMain"] h1').first.inner_text() != title
        text = screen.text()
        assert "Télécharger" not in text and "Importer" not in text and "Déverrouiller" not in text


def network_head_sees_only_its_own(app: App, screen: Screen) -> None:
    """CABM on every page of its role, with links typed to FEIAL in the filter bar and in each picker: no other
    network head's code anywhere in the HTML; its own staff lines on its budget detail."""
    others = CODES - {"CABM"}
    screen.sign_in(app.url(), "cabm")
    for title in NAVIGATION["cabm"]:
        path = CABM_PATHS[title]
        params: dict[str, str] = {"reseau": "FEIAL"}
        if path in PICKERS:
            params[PICKERS[path]] = "FEIAL"
        screen.open(app.url(path, **params))
        for index, tab in enumerate(screen.tabs() or [""]):
            if index:
                screen.show_tab(tab)
            seen = others & codes_in(screen.html())
            assert not seen, f"{sorted(seen)} in the HTML of {title} / {tab} for CABM"
    screen.open(app.url("budget_reseau"))
    screen.show_tab("Lignes de personnel")
    own = {line["employee"] for line in staff_lines(2026) if line["head"] == "CABM"}  # the default year
    assert own <= set(EMPLOYEE.findall(screen.text())), "CABM sees its own staff lines"


def test_a_network_head_sees_only_its_own_even_by_a_typed_link(team_app: App, screen: Screen):
    network_head_sees_only_its_own(team_app, screen)
    screen.screenshot("connexion--cabm--budget")


def test_an_unknown_address_is_refused_and_journaled(team_app: App, screen: Screen):
    screen.sign_in(team_app.url(), "inconnu")
    text = screen.text()
    assert "Accès non autorisé" in text and USERS["inconnu"][0] in text
    assert screen.navigation() == []
    assert not codes_in(screen.html())
    screen.screenshot("connexion--inconnu")
    entries = journal.entries(team_app.db, MANAGER)
    refused = entries[entries["action"] == "acces_refuse"]
    assert USERS["inconnu"][0] in set(refused["actor_email"])


def test_signing_out_shows_the_sign_in_button_again(team_app: App, screen: Screen):
    screen.sign_in(team_app.url(), "analyste")
    screen.sign_out()
    screen.open(team_app.url("exports"))
    assert screen.page.get_by_role("button", name="Se connecter").count() == 1
    assert "Télécharger" not in screen.text()


def test_an_analyst_downloads_exports_a_reader_cannot(team_app: App, screen: Screen):
    """The analyst's export has every indicator; the same page does not exist for a lecteur (above)."""
    screen.sign_in(team_app.url(), "analyste")
    screen.open(team_app.url("exports"))
    button = screen.page.get_by_role("button", name="Télécharger iae_indicateurs_2026")
    with screen.page.expect_download() as download:
        button.click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert {i.code for i in INDICATORS} <= set(text.replace(";", " ").split())


# --- the checks can fail: the same checks against the app with its restriction switched off ---


def test_the_reader_check_fails_when_the_read_layer_lets_staff_lines_through(open_app: App, screen: Screen):
    with pytest.raises(AssertionError, match="staff identifiers"):
        reader_sees_no_staff_line(open_app, screen)


def test_the_network_head_check_fails_when_the_read_layer_lets_others_through(open_app: App, screen: Screen):
    with pytest.raises(AssertionError, match="in the HTML of"):
        network_head_sees_only_its_own(open_app, screen)
