"""What a person sees on a shared 1280×720 screen, checked: the page ran, its charts drew, numbers are
French, nothing left the machine, and what we control passes axe-core."""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from iaedash.ui import UNEXPECTED_ERROR

ROOT = Path(__file__).resolve().parents[2]
# $IAEDASH_TEST_OUTPUT moves it (a child pytest in tests/test_browser_setup.py must not empty this run's).
OUTPUT = Path(os.environ.get("IAEDASH_TEST_OUTPUT") or ROOT / "test-output") / "screenshots"
ACCESSIBILITY_NOTES: list[str] = []  # listed at the end of the run (conftest.pytest_terminal_summary)

LOOPBACK = {"127.0.0.1"}
PROVIDER_STYLESHEET = "https://cdn.jsdelivr.net/npm/@picocss/"  # oidc-provider-mock's form (tests/e2e/oidc.py)
EMPLOYEE = re.compile(r"\bS\d{2}\b")  # the demo's staff identifiers (S01, S02…) as its files give them

# « 1 525 », « 887 204,64 € », « 95 % »: a no-break space groups thousands, a comma marks decimals,
# a space comes before the unit.
FRENCH_NUMBER = re.compile(r"\d[\u202f\u00a0]\d{3}(?!\d)|\d,\d|\d\s[%€]")
# « 1,525 », « 96.34 », « 95% »: an English-formatted number slipped through. (A French number with three
# decimals, « 0,125 », would be taken for English: the app shows at most two.)
ENGLISH_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.])\d+\.\d+(?![\w.])|\d[%€]")

# axe-core rules about what this project writes or chooses: page title and language, heading order,
# widget labels, link and button names, images, and the contrast of its theme and colours. Any finding
# of these fails, whatever its impact; so does any « critical » finding inside the page's own content.
OUR_RULES = {
    "document-title",
    "html-has-lang",
    "html-lang-valid",
    "valid-lang",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "color-contrast",
    "label",
    "label-title-only",
    "select-name",
    "aria-input-field-name",
    "aria-toggle-field-name",
    "button-name",
    "link-name",
    "image-alt",
    "svg-img-alt",
    "role-img-alt",
    "frame-title",
}
OUR_CONTENT = '[data-testid="stMain"], [data-testid="stSidebarUserContent"]'


@dataclass
class RequestGuard:
    """Lets the browser reach the loopback only; records and refuses anything else (nothing leaves)."""

    seen: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def _allowed(self, url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("data", "blob") or parsed.hostname in LOOPBACK

    def route(self, route, request) -> None:
        self.seen.append(request.url)
        if self._allowed(request.url):
            route.continue_()
        else:
            self.foreign.append(request.url)
            route.abort("blockedbyclient")

    def websocket(self, ws) -> None:
        self.seen.append(ws.url)
        if not self._allowed(ws.url):
            self.foreign.append(ws.url)


# Every visible Plotly chart: its title, how many marks it drew, and the data table that follows it.
CHARTS_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(el => el.offsetParent !== null)
  .map(el => {
    const marks = [...el.querySelectorAll('.overplot path, .overplot image, .overplot rect')]
      .filter(m => (m.tagName !== 'path' || (m.getAttribute('d') || '').length > 4))
      .filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; });
    const block = el.closest('[data-testid="stElementContainer"]');
    const next = block ? block.nextElementSibling : null;
    const label = '[data-testid="stExpander"] summary [data-testid="stMarkdownContainer"]';
    const alternative = next ? (next.querySelector(label) || {}).textContent : null;
    const legend = el.querySelector('.legend .bg');
    const box = legend ? legend.getBoundingClientRect() : null;
    const hidden = box ? [...el.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text')]
      .map(t => t.getBoundingClientRect())
      .filter(r => r.width > 0 && r.left < box.right && r.right > box.left && r.top < box.bottom && r.bottom > box.top)
      .length : 0;
    return {
      title: (el.querySelector('.gtitle') || {}).textContent || '',
      svgs: el.querySelectorAll('.main-svg').length,
      marks: marks.length,
      alternative: alternative || '',
      under_legend: hidden,
    };
  })
"""

# The colour of every chart text and of what lies under it: white, or the bar a label is drawn inside
# (null when that bar is hatched: no single colour to measure). Heat-map cell labels are left out.
CHART_TEXT_JS = """
() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg text')]
  .filter(t => t.getBoundingClientRect().width > 0 && t.textContent.trim() && !t.closest('.heatmaplayer'))
  .map(t => {
    let background = 'rgb(255, 255, 255)';
    const bar = t.closest('.point') ? t.closest('.point').querySelector('path') : null;
    if (bar) {
      const b = bar.getBoundingClientRect(), r = t.getBoundingClientRect();
      const x = r.x + r.width / 2, y = r.y + r.height / 2;
      if (x >= b.left && x <= b.right && y >= b.top && y <= b.bottom) {
        const fill = getComputedStyle(bar).fill;
        background = fill.startsWith('rgb') ? fill : null;
      }
    }
    return {text: t.textContent, fill: getComputedStyle(t).fill, opacity: getComputedStyle(t).fillOpacity, background};
  })
"""

# One chart's drawn texts, found by its title: each bar trace's labels in order, the x axis's tick labels (their
# lines joined by « | »), the legend.
CHART_TEXTS_JS = """
(title) => {
  const chart = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .find(el => (el.querySelector('.gtitle') || {}).textContent === title);
  if (!chart) return null;
  return {
    bars: [...chart.querySelectorAll('.barlayer .trace')].map(t =>
      [...t.querySelectorAll('.point')].map(p => (p.querySelector('text') || {}).textContent || '')),
    ticks: [...chart.querySelectorAll('.xtick text')].map(t =>
      [...t.querySelectorAll('tspan.line')].map(l => l.textContent).join('|') || t.textContent),
    legend: [...chart.querySelectorAll('.legend .legendtext')].map(t => t.textContent),
  };
}
"""


# The text a person can read: the page's HTML, the charts' SVG text, and the data grids' visible cells.
TEXT_JS = """
() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const svg = [...main.querySelectorAll('.main-svg text')].map(t => t.textContent);
  const cells = [...main.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]')].map(c => c.textContent);
  return [main.innerText, ...svg, ...cells].join('\\n');
}
"""

AXE_JS = """
async (scope) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '),
      ours: n.target.length === 1 && !!document.querySelector(n.target[0])
        && !!document.querySelector(n.target[0]).closest(scope),
      summary: n.failureSummary,
    })),
  }));
}
"""


@dataclass
class ChartSeen:
    title: str
    svgs: int
    marks: int
    alternative: str
    under_legend: int  # axis labels or titles the legend covers


@dataclass
class Screen:
    """One browser tab, with the checks a reviewer would do by eye."""

    page: object
    guard: RequestGuard
    axe_source: str = field(repr=False)

    # --- getting there ---

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.settle()

    def settle(self) -> None:
        """Connected, the script done and staying done, the page's title (or its failure) shown, nothing
        loading, every visible chart drawn. « Staying done »: a deep link on a fresh server runs twice
        (ui.ensure_navigation reruns through app.py), with a moment of « notRunning » in between."""
        page = self.page
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=60_000)
        for _ in range(20):
            page.wait_for_function(
                """(failed) => document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'notRunning'
                       && (document.querySelector('[data-testid="stMain"] h1')
                           || document.querySelector('[data-testid="stException"]')
                           || document.querySelector('[data-testid="stMain"]').innerText.includes(failed))""",
                arg=UNEXPECTED_ERROR,
                timeout=60_000,
            )
            page.wait_for_timeout(250)
            if page.evaluate(
                "() => document.querySelector('[data-testid=\"stApp\"]').dataset.testScriptState === 'notRunning'"
            ):
                break
        else:
            raise AssertionError("the page never stopped running for 250 ms")
        page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')")
        page.wait_for_function(
            """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                   .filter(el => el.offsetParent !== null).every(el => el.querySelector('.main-svg'))"""
        )
        page.wait_for_timeout(300)  # Plotly draws its marks just after its frame

    def sign_in(self, url: str, sub: str) -> None:
        """Through the provider's own form, as a person would: « Se connecter », the account, « Authorize »."""
        self.open(url)
        self.page.get_by_role("button", name="Se connecter").click()
        self.page.wait_for_selector('input[name="sub"]')
        self.page.fill('input[name="sub"]', sub)
        self.page.get_by_role("button", name="Authorize", exact=True).click()
        self.page.wait_for_url(url.split("?")[0].rstrip("/") + "/**")
        self.settle()
        self._forget_provider_assets()

    def sign_out(self) -> None:
        """« Se déconnecter », then the provider's end-of-session page."""
        self.page.get_by_role("button", name="Se déconnecter").click()
        self.page.get_by_role("button", name="End session").click()
        self.page.get_by_role("button", name="Se connecter").wait_for()
        self._forget_provider_assets()

    def _forget_provider_assets(self) -> None:
        """The test provider's own pages (not iaedash's) ask a CDN for their stylesheet: refused like any
        foreign request, but not held against the app."""
        self.guard.foreign[:] = [u for u in self.guard.foreign if not u.startswith(PROVIDER_STYLESHEET)]

    def navigation(self) -> list[str]:
        """The page names the navigation lists, section by section (each section's menu opened in turn)."""
        names = []
        for section in self.page.locator('[data-testid="stTopNavSection"]').all():
            section.click()
            links = self.page.locator('[data-testid="stTopNavDropdownLink"]')
            links.first.wait_for()
            names += [t.strip().splitlines()[-1].strip() for t in links.all_inner_texts()]  # icon ligature first
            self.page.keyboard.press("Escape")
            links.first.wait_for(state="detached")
        return names

    def go(self, title: str) -> None:
        """To another page through the navigation, as a person would (its section's menu, then the page)."""
        for section in self.page.locator('[data-testid="stTopNavSection"]').all():
            section.click()
            link = self.page.locator('[data-testid="stTopNavDropdownLink"]', has_text=title)
            if link.count():
                self.rerun_after(link.first.click)
                return
            self.page.keyboard.press("Escape")
        raise AssertionError(f"no page « {title} » in the navigation")

    def html(self) -> str:
        """Everything the browser received for the page, hidden parts included (not only what is shown)."""
        return self.page.content()

    def rerun_after(self, action) -> None:
        """Do something that reruns the script, and wait until that rerun has finished.

        A quick rerun may show « running » for less than a frame and never reach the DOM: after 5 s without
        seeing it, the rerun is taken as done; the callers then wait for what they expect to see."""
        page = self.page
        page.evaluate("() => { window.__iaedash_run = 0; }")
        page.evaluate(
            """() => {
                 if (window.__iaedash_watch) return;  // one watcher per page, reset above for each rerun
                 window.__iaedash_watch = new MutationObserver(() => {
                   const s = document.querySelector('[data-testid="stApp"]').dataset.testScriptState;
                   if (s === 'running') window.__iaedash_run = 1;
                 });
                 window.__iaedash_watch.observe(document.querySelector('[data-testid="stApp"]'), {attributes: true});
               }"""
        )
        action()
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function("() => window.__iaedash_run === 1", timeout=5_000)
        self.settle()

    # --- what is on the screen ---

    def text(self) -> str:
        return self.page.evaluate(TEXT_JS)

    def charts(self) -> list[ChartSeen]:
        return [ChartSeen(**c) for c in self.page.evaluate(CHARTS_JS)]

    def chart_texts(self, title: str) -> dict | None:
        """What one chart (found by its title) writes: {"bars": [labels of each trace], "ticks", "legend"}."""
        return self.page.evaluate(CHART_TEXTS_JS, title)

    def sidebar(self) -> str:
        return self.page.locator('[data-testid="stSidebar"]').inner_text()

    def tabs(self) -> list[str]:
        return self.page.locator('[data-testid="stMain"] [role="tab"]').all_inner_texts()

    def show_tab(self, name: str) -> None:
        """Open a tab as a person would. Only the open tab is built (ui.sections): a click on another one reruns
        the script, so wait for that rerun, not only for the tab to look selected."""
        tab = self.page.locator('[data-testid="stMain"] [role="tab"]', has_text=name).first
        if tab.get_attribute("aria-selected") == "true":
            self.settle()
        else:
            self.rerun_after(tab.click)
        expect(tab).to_have_attribute("aria-selected", "true")

    def screenshot(self, name: str) -> Path:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}.png"
        self.page.screenshot(path=path)
        return path

    def download_first_chart_csv(self) -> tuple[bytes, str]:
        """Open the first visible chart's data, click its CSV button as a person would: (bytes, file name)."""
        expander = self.page.locator('[data-testid="stExpander"]:visible', has_text="Données du graphique").first
        expander.locator("summary").click()
        button = expander.get_by_role("button", name="Télécharger en CSV (Excel)")
        button.wait_for(state="visible")
        self.page.wait_for_timeout(500)  # the expander's opening animation
        with self.page.expect_download() as download:
            button.click()
        return download.value.path().read_bytes(), download.value.suggested_filename

    def screenshot_charts(self, name: str) -> list[Path]:
        """The top of the screen, and, when the first chart starts below it, the screen scrolled to that chart:
        together, what a meeting sees of the page."""
        shots = [self.screenshot(name)]
        charts = self.page.locator('[data-testid="stPlotlyChart"]:visible')
        if charts.count():
            box = charts.first.bounding_box()
            if box and box["y"] + box["height"] > 720:
                charts.first.scroll_into_view_if_needed()
                shots.append(self.screenshot(f"{name}--graphique"))
        return shots

    # --- the checks ---

    def assert_no_exception(self) -> None:
        """Neither Streamlit's exception box nor the app's own « Erreur inattendue » (ui.run_page)."""
        boxes = self.page.locator('[data-testid="stException"]')
        assert boxes.count() == 0, f"an exception box is shown: {boxes.first.inner_text()[:500]}"
        text = self.page.locator('[data-testid="stMain"]').inner_text()
        assert UNEXPECTED_ERROR not in text, f"the page failed with an unexpected error: {text[:500]}"
        assert "Traceback" not in text, f"a traceback is shown: {text[:500]}"

    def assert_charts_drawn(self) -> list[ChartSeen]:
        """Each visible chart: SVG drawn with marks in it, a title that says the period, its data beside it."""
        charts = self.charts()
        for chart in charts:
            assert chart.svgs > 0, f"chart not drawn: {chart}"
            assert chart.marks > 0, f"chart drawn empty (no bar, line, point or cell): {chart}"
            assert re.search(r"20\d\d", chart.title), f"chart title without its period: {chart.title!r}"
            assert chart.under_legend == 0, f"the legend hides {chart.under_legend} axis label(s): {chart.title!r}"
            assert chart.alternative.startswith("Données du graphique"), (
                f"chart without its data table (the alternative a screen reader can read): {chart.title!r}"
            )
        return charts

    def assert_chart_text_contrast(self) -> None:
        """Titles, axes, legends and labels of our charts: 4.5:1 on what lies under them (RGAA 3.2);
        axe-core does not measure SVG text."""
        poor = set()
        for item in self.page.evaluate(CHART_TEXT_JS):
            if item["background"] is None:
                continue
            ratio = contrast(item["fill"], item["background"], float(item["opacity"] or 1))
            if ratio < 4.5:
                poor.add(f"{item['text']!r} in {item['fill']} on {item['background']} ({ratio:.2f}:1)")
        assert not poor, "chart text below 4.5:1: " + ", ".join(sorted(poor)[:10])

    def assert_fits_the_screen(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, f"the page scrolls sideways at 1280 px ({width} px wide)"

    def assert_french_numbers(self, text: str, *, expect_numbers: bool) -> None:
        english = ENGLISH_NUMBER.findall(text)
        assert not english, f"numbers not in the French format: {english[:10]}"
        if expect_numbers:
            assert FRENCH_NUMBER.search(text), "no number in the French format (1 234,56 €, 12,5 %) on this screen"

    def assert_accessible(self, name: str) -> None:
        """axe-core on the screen as it is: what we control must pass; the rest is listed, not failed."""
        if not self.page.evaluate("() => typeof axe !== 'undefined'"):
            self.page.add_script_tag(content=self.axe_source)
        failing = []
        for violation in self.page.evaluate(AXE_JS, OUR_CONTENT):
            for node in violation["nodes"]:
                line = f"{name}: [{violation['impact']}] {violation['id']} – {violation['help']} – {node['target']}"
                if violation["id"] in OUR_RULES or (violation["impact"] == "critical" and node["ours"]):
                    failing.append(f"{line}\n    {node['summary']}")
                else:
                    ACCESSIBILITY_NOTES.append(line)
        assert not failing, "accessibility (axe-core):\n" + "\n".join(failing)

    def check_page(self, name: str, *, expect_numbers: bool = True, expect_charts: bool = False) -> str:
        """Every tab of the page as a meeting would see it; returns all the text read, for further checks."""
        texts = []
        tabs = self.tabs() or [""]
        charts = 0
        for index, tab in enumerate(tabs):
            if index:
                self.show_tab(tab)
            label = name if not index else f"{name}--{_slug(tab)}"
            self.screenshot_charts(label)
            self.assert_no_exception()
            charts += len(self.assert_charts_drawn())
            self.assert_chart_text_contrast()
            self.assert_fits_the_screen()
            self.assert_accessible(label)
            texts.append(self.text())
        if tabs != [""]:
            self.show_tab(tabs[0])
        text = "\n".join(texts)
        self.assert_french_numbers(text, expect_numbers=expect_numbers)
        if expect_charts:
            assert charts > 0, f"no chart drawn on {name}"
        return text


def contrast(foreground: str, background: str = "rgb(255, 255, 255)", opacity: float = 1.0) -> float:
    """WCAG contrast ratio of two CSS « rgb(r, g, b) » colours, the first drawn with `opacity` over the second."""
    under = [float(v) for v in re.findall(r"[\d.]+", background)[:3]]
    over = [float(v) for v in re.findall(r"[\d.]+", foreground)[:3]]
    blended = [o * opacity + u * (1 - opacity) for o, u in zip(over, under, strict=True)]
    light, dark = sorted((_luminance(blended), _luminance(under)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _luminance(rgb: list[float]) -> float:
    def linear(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
