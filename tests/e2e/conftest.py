"""The real thing: `streamlit run app.py` on a loopback port, driven by Playwright in Debian's Chromium.

Where Chromium or axe-core is missing (see prepare.py, run by the README's test command) these tests are
skipped with the reason; under CI=true they fail instead, since CI must have run them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from prepare import axe_script, chromium
from screen import ACCESSIBILITY_NOTES, OUTPUT, RequestGuard, Screen
from server import App, copy_demo, running_app

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Belt and braces: even a request Playwright would not see cannot resolve any host but the loopback.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = chromium()
    if path is None:
        _missing("Chromium absent: apt-get install chromium (the README's test command does it when it can)")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = axe_script()
    if path is None:
        _missing("axe-core absent: npm ci --prefix tests/e2e (the README's test command does it when it can)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def demo_app(chromium_path: str, demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """One server on a fresh copy of the demo database, for the tests that only read."""
    db = copy_demo(demo_db_template, tmp_path_factory.mktemp("e2e-demo"))
    with running_app(db, OUTPUT / "streamlit-demo.log") as app:
        yield app


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session", autouse=True)
def fresh_output() -> None:
    """Screenshots of this run only: last run's would otherwise sit beside them."""
    if OUTPUT.exists():
        for old in OUTPUT.glob("*.png"):
            old.unlink()


@pytest.fixture
def open_screen(browser, axe_source: str) -> Iterator[Callable[[], Screen]]:
    """Opens fresh browser profiles at 1280×720 (a shared screen), in French, each of which may talk only to
    the loopback; at the end, any request to another host fails the test."""
    opened: list[tuple[object, RequestGuard]] = []

    def new_screen() -> Screen:
        context = browser.new_context(
            viewport={"width": 1280, "height": 720},
            locale="fr-FR",
            timezone_id="Europe/Paris",
            accept_downloads=True,
        )
        guard = RequestGuard()
        context.route("**/*", guard.route)
        page = context.new_page()
        page.on("websocket", guard.websocket)
        page.set_default_timeout(30_000)
        opened.append((context, guard))
        return Screen(page, guard, axe_source)

    try:
        yield new_screen
    finally:
        for context, _ in opened:
            context.close()
    foreign = [url for _, guard in opened for url in guard.foreign]
    assert foreign == [], f"requests to hosts other than the loopback server: {foreign}"


@pytest.fixture
def screen(open_screen: Callable[[], Screen]) -> Screen:
    """One browser profile, as a person opens the app."""
    return open_screen()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Accessibility findings that do not fail the tests (Streamlit's own widgets), for a person to read."""
    if ACCESSIBILITY_NOTES:
        terminalreporter.section("accessibility (axe-core): findings left to Streamlit, not failing")
        for line in sorted(set(ACCESSIBILITY_NOTES)):
            terminalreporter.write_line(line)
    if OUTPUT.exists() and any(OUTPUT.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots at 1280×720: {OUTPUT}")
