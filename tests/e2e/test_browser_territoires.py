"""Territoires in Chromium: the territory map, the located activity, the call's areas and their shares, drawn
and readable at 1280×720, in and out of meeting mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from screen import OUTPUT, Screen
from server import App, running_app

from iaedash import scale

TOPICS = ["Carte territoire × réseau", "Activité localisée", "Zones de l'appel", "Part des zones"]

# How far each visible chart's title (and the notes under it) runs past the right or the top edge of its figure,
# or over its plot area, in pixels (0: it fits).
TITLE_OVERFLOW_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const figure = el.querySelector('.main-svg').getBoundingClientRect();
    const title = el.querySelector('.gtitle');
    if (!title) return 0;
    const box = title.getBoundingClientRect();
    const plot = el.querySelector('.draglayer .nsewdrag');  // the plot area itself
    const below = plot ? Math.max(0, box.bottom - plot.getBoundingClientRect().top) : 0;
    return Math.max(0, box.right - figure.right) + Math.max(0, figure.top - box.top) + below;
  })
"""


def test_every_view_is_drawn_with_french_numbers(demo_app, screen: Screen):
    """Each tab of the page, screenshotted; the map's title says the indicator, the period and the scope, and
    the page says what DEP is and which areas the call follows."""
    screen.open(demo_app.url("territoires", annee="2025"))
    text = screen.check_page("territoires", expect_charts=True)
    title = screen.charts()[0].title
    assert title == "Accompagnements gouvernance par territoire et par réseau – T1 à T4 2025 – tous réseaux"
    assert "DEP (tout le Département)" in text and "Littoral – Grand Site des Deux-Caps" in text
    assert "Bassin minier" in text and "Tout le Département (non localisé)" in text


def choose(screen: Screen, label: str) -> None:
    """Click a segmented control's option (the indicator, a meeting's topic) unless it is the one chosen."""
    option = screen.page.locator('[data-testid="stButtonGroup"] button', has_text=label).first
    if option.get_attribute("aria-checked") != "true":  # a click on the chosen one would unselect it
        screen.rerun_after(option.click)


def titles_fit(screen: Screen, name: str) -> None:
    tabs = screen.tabs()
    for index, topic in enumerate(tabs or TOPICS):
        if tabs:
            screen.show_tab(topic)
        else:
            choose(screen, topic)
        [chart] = screen.charts()  # drawn, or a sentence where nothing is located (no participation to a committee)
        overflow = screen.page.evaluate(TITLE_OVERFLOW_JS)
        assert overflow == [0], f"the title « {chart.title} » runs {overflow[0]:.0f} px out of its place ({topic})"
        if index in (0, 3):
            screen.screenshot_charts(f"territoires--{name}--{index}")


def test_the_longest_titles_fit_at_1280_by_720(demo_app, screen: Screen):
    """The longest indicator name and a selection of three network heads: every title whole on screen, with
    the sidebar open and in meeting mode (larger text, sidebar folded)."""
    for params, name in (({}, "comites"), ({"reunion": "true"}, "comites-reunion")):
        screen.open(demo_app.url("territoires", reseau=["CABM", "CETTI", "CHOPAL"], **params))
        choose(screen, "Participations aux comités")
        assert screen.charts()[0].title.startswith("Participations aux comités par territoire")
        titles_fit(screen, name)


def test_meeting_mode_shows_one_topic_per_screen(demo_app, screen: Screen):
    screen.open(demo_app.url("territoires", reunion="true", territoire_sujet="Part des zones"))
    screen.screenshot_charts("territoires--reunion--parts")
    screen.assert_no_exception()
    [chart] = screen.assert_charts_drawn()
    assert chart.title.startswith("Accompagnements gouvernance : part de chaque zone")
    screen.assert_chart_text_contrast()
    screen.assert_fits_the_screen()


def test_the_shares_csv_says_what_is_not_located(demo_app, screen: Screen):
    """The shares chart's CSV for French Excel: one column per part, the whole Département's named as such."""
    screen.open(demo_app.url("territoires", annee="2025", territoire_sujet="Part des zones"))
    data, file_name = screen.download_first_chart_csv()
    assert file_name == "iae_gouv_parts_zones_2025_T1-T4_tous-reseaux.csv"
    header = data.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[0] == "Réseau" and "Tout le Département (non localisé) (part)" in header


@pytest.fixture(scope="module")
def crowded_app(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """Twenty generated network heads (`iaedash demo --echelle 20`): more than a chart draws one by one."""
    folder = tmp_path_factory.mktemp("territoires-20")
    built = scale.build(folder / "iaedash.duckdb", scale.Scale(network_heads=20, years=1))
    assert not built.refused
    env = {"IAEDASH_CALLS_DIR": str(built.calls_dir)}
    with running_app(built.db, OUTPUT / "streamlit-territoires-20.log", env=env) as app:
        yield app


def test_beyond_twelve_network_heads_each_chart_says_how_it_cuts(crowded_app: App, screen: Screen):
    """The map and the shares: the first eleven network heads and « autres », said under the title; readable."""
    screen.open(crowded_app.url("territoires"))
    text = screen.check_page("territoires--20-reseaux", expect_charts=True)
    assert "les 11 têtes de réseaux les plus actives" in text and "regroupées dans « autres »" in text
    titles_fit(screen, "20-reseaux")
