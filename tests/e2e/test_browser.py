"""The real thing: a Streamlit server and headless Chromium (what a user's browser does).

Needs Debian's Chromium (`apt-get install chromium`); skipped with that reason where it is absent,
since Playwright cannot download its own browser on these machines.
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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Chromium absent : apt-get install chromium pour les tests navigateur"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(demo_db: Path) -> Iterator[str]:
    """A freshly started server on a copy of the demo database: its first request is the test's."""
    port = free_port()
    env = {**os.environ, "IAEDASH_DB": str(demo_db), "IAEDASH_TODAY": "2026-11-24"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def open_and_wait(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=60_000)
    page.wait_for_selector('[data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)


def test_a_shared_link_opened_first_on_a_fresh_server_shows_its_view(server: str):
    """People paste links in meeting invitations: the link must reopen the same page and filters."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        open_and_wait(page, f"{server}/indicateurs?reseau=CABM&trimestre=T2&trimestre=T3")
        title = page.locator('[data-testid="stPlotlyChart"] .gtitle').first.text_content()
        assert title == "Accompagnements gouvernance par trimestre – T2 à T3 2025 – CABM"
        sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
        assert "Filtres" in sidebar and "Indicateurs" in sidebar
        # the chart fits a shared 1280×720 screen: no horizontal scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        browser.close()
