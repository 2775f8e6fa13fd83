"""The real thing: `streamlit run app.py` on a loopback port, driven by Playwright in Debian's Chromium.

Where Chromium or axe-core is missing (see prepare.py, run by the README's test command) these tests are
skipped with the reason; under CI=true they fail instead, since CI must have run them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from prepare import axe_script, chromium
from screen import ACCESSIBILITY_NOTES, OUTPUT, RequestGuard, Screen

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-24"  # the statuses (late, missing, due) are computed against this date
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


@dataclass(frozen=True)
class App:
    """A running server: its address, the database it reads, and its log."""

    base: str
    db: Path
    log: Path

    def url(self, path: str = "", **params: str | list[str]) -> str:
        query = urlencode(params, doseq=True)
        return f"{self.base}/{path}" + (f"?{query}" if query else "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(db: Path, log: Path, app_dir: Path = ROOT) -> Iterator[App]:
    """`streamlit run app.py` with the project's own .streamlit/config.toml; stopped whatever happens."""
    port = _free_port()
    env = {**os.environ, "IAEDASH_DB": str(db), "IAEDASH_TODAY": TODAY}
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=app_dir, env=env, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"streamlit stopped at start:\n{log.read_text(errors='replace')}", pytrace=False)
                try:
                    if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                        break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"streamlit did not answer in 60 s:\n{log.read_text(errors='replace')}")
                    time.sleep(0.2)
            yield App(base, db, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def copy_demo(template: Path, folder: Path) -> Path:
    """A private copy of the demo database and its kept files."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / template.name)
    shutil.copytree(template.parent / "depots", folder / "depots")
    return folder / template.name


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


@pytest.fixture
def screen(browser, axe_source: str) -> Iterator[Screen]:
    """A fresh browser profile at 1280×720 (a shared screen), in French, that may talk only to the loopback."""
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
    try:
        yield Screen(page, guard, axe_source)
    finally:
        context.close()
    assert guard.foreign == [], f"requests to hosts other than the loopback server: {guard.foreign}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Accessibility findings that do not fail the tests (Streamlit's own widgets), for a person to read."""
    if ACCESSIBILITY_NOTES:
        terminalreporter.section("accessibility (axe-core): findings left to Streamlit, not failing")
        for line in sorted(set(ACCESSIBILITY_NOTES)):
            terminalreporter.write_line(line)
    if OUTPUT.exists() and any(OUTPUT.glob("*.png")):
        terminalreporter.write_line(f"browser screenshots at 1280×720: {OUTPUT}")
