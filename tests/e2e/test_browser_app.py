"""What every page shares, in Chromium: nothing leaves the machine, French language and titles, meeting
mode everywhere, and proof that the page checks fail when a page or a chart breaks."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from screen import EMPLOYEE, OUTPUT, Screen, contrast
from server import ROOT, copy_demo, running_app

PAGES = {
    "": "Vue d'ensemble",
    "indicateurs": "Indicateurs",
    "orientations": "Orientations",
    "territoires": "Territoires",
    "fiche_reseau": "Fiche réseau",
    "budget": "Budget – vue d'ensemble",
    "budget_reseau": "Budget – détail d'un réseau",
    "depots": "Dépôts",
    "exports": "Exports",
    "bilan_final": "Bilan final",
}


def test_every_page_is_french_named_and_asks_nothing_of_any_host_but_the_server(demo_app, screen: Screen):
    """An intranet tool works offline and leaks nothing (no CDN font or icon, no usage statistics); each page
    tells screen readers its language (RGAA 8.3) and its own title (RGAA 8.5, 8.6). Every other browser test
    refuses foreign requests too (the `screen` fixture), meeting mode and uploads included."""
    for path, title in PAGES.items():
        screen.open(demo_app.url(path))
        assert screen.page.evaluate("document.documentElement.lang") == "fr"
        assert screen.page.title() == f"{title} – iaedash"
    assert screen.guard.foreign == []
    hosts = {re.sub(r"^\w+://([^/]+).*", r"\1", url) for url in screen.guard.seen}
    assert hosts == {demo_app.base.removeprefix("http://")}
    assert any("/_stcore/stream" in url for url in screen.guard.seen)  # the recorder sees the websocket too


def test_the_request_guard_catches_a_request_to_another_host(demo_app, screen: Screen):
    """The offline check can fail: a fetch to a CDN is recorded (and refused) like a page's would be."""
    screen.open(demo_app.url())
    screen.page.evaluate("() => fetch('https://fonts.gstatic.com/s/x.woff2').catch(() => null)")
    assert screen.guard.foreign == ["https://fonts.gstatic.com/s/x.woff2"]
    screen.guard.foreign.clear()


@pytest.mark.parametrize("path", list(PAGES))
def test_meeting_mode_shows_each_page_without_staff_detail(demo_app, screen: Screen, path: str):
    """« Mode réunion » from a shared link: sidebar folded, charts drawn, no employee anywhere."""
    screen.open(demo_app.url(path, reunion="true", reseau="CABM"))
    name = (path or "accueil") + "--reunion"
    screen.screenshot_charts(name)
    screen.assert_no_exception()
    screen.assert_charts_drawn()
    screen.assert_chart_text_contrast()
    screen.assert_fits_the_screen()
    screen.assert_accessible(name)
    assert screen.page.locator('[data-testid="stSidebar"][data-collapsed="true"]').count() == 1  # folded
    assert not EMPLOYEE.findall(screen.text())


# --- the checks themselves can fail ---

BREAKAGE = """
import plotly.graph_objects as go

if not hasattr(ui, "unbroken_chart"):
    ui.unbroken_chart = ui.chart
ui.chart = ui.unbroken_chart
if st.query_params.get("panne") == "exception":
    raise RuntimeError("panne simulée")
if st.query_params.get("panne") == "graphique":  # the same figure, its data gone
    ui.chart = lambda fig, *args, **kwargs: ui.unbroken_chart(go.Figure(layout=fig.layout), *args, **kwargs)
"""


@pytest.fixture(scope="module")
def broken_app(chromium_path: str, demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app copied with its Indicateurs page broken on demand (?panne=exception or ?panne=graphique)."""
    folder = tmp_path_factory.mktemp("app-en-panne")
    shutil.copy(ROOT / "app.py", folder / "app.py")
    shutil.copytree(ROOT / "pages", folder / "pages")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    page = folder / "pages" / "indicateurs.py"
    source = page.read_text(encoding="utf-8")
    anchor = "ui.ensure_navigation()\n"
    page.write_text(source.replace(anchor, anchor + BREAKAGE, 1), encoding="utf-8")
    db = copy_demo(demo_db_template, folder / "base")
    with running_app(db, OUTPUT / "streamlit-panne.log", app_dir=folder) as app:
        yield app


def test_an_exception_in_a_page_fails_the_page_check(broken_app, screen: Screen):
    screen.open(broken_app.url("indicateurs", panne="exception"))
    with pytest.raises(AssertionError, match="failed with an unexpected error"):
        screen.check_page("panne-exception")
    assert "panne simulée" not in screen.text()  # the message stays on the server, in its log
    assert "RuntimeError: panne simulée" in (broken_app.log.read_text(encoding="utf-8"))


def test_a_chart_drawn_empty_fails_the_page_check(broken_app, screen: Screen):
    screen.open(broken_app.url("indicateurs", panne="graphique"))
    with pytest.raises(AssertionError, match="chart drawn empty"):
        screen.check_page("panne-graphique")


def test_the_unbroken_copy_passes_the_same_check(broken_app, screen: Screen):
    """The control: the copied app, not broken, passes; so the two failures above come from the breakage."""
    screen.open(broken_app.url("indicateurs"))
    screen.check_page("panne-aucune", expect_charts=True)


def test_the_contrast_measure_tells_bad_chart_text_from_good():
    """Streamlit's chart theme wrote axes in this grey (3.7:1), and Plotly white labels on the orientations'
    orange bars (2.1:1): the check must refuse both."""
    assert contrast("rgb(128, 132, 149)") < 4.5 < contrast("rgb(61, 61, 61)")
    assert contrast("rgb(255, 255, 255)", "rgb(230, 159, 0)") < 4.5 < contrast("rgb(26, 26, 26)", "rgb(230, 159, 0)")
    assert round(contrast("rgb(0, 0, 0)"), 1) == 21.0
    assert contrast("rgb(0, 0, 0)", opacity=0.0) == 1.0
