"""Load on the loopback: twenty sessions open pages while a twenty-first uploads two files, has them checked and
imports them — every session served, no error, the import applied once; the time each session waited is
printed (README « Combien de personnes un serveur sert »). One real server, one Chromium, twenty tabs."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect
from screen import OUTPUT, Screen
from server import App, demo_without, running_app
from test_browser_depots import MISSING, upload

from iaedash.demo import demo_dir

SESSIONS = 20
PAGES = ["", "indicateurs", "orientations", "budget", "fiche_reseau"]


@pytest.fixture(scope="module")
def loaded_app(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("demo-charge")
    db = demo_without(MISSING, folder)
    timings = folder / "timings.jsonl"
    with running_app(db, OUTPUT / "streamlit-charge.log", env={"IAEDASH_TIMINGS": str(timings)}) as app:
        yield app


def test_twenty_sessions_are_served_while_an_upload_is_checked_and_imported(
    loaded_app: App, open_screen: Callable[[], Screen]
):
    app = loaded_app
    uploader = open_screen()
    uploader.open(app.url("depots"))
    screens = [open_screen() for _ in range(SESSIONS)]

    started, epoch = time.perf_counter(), time.time()
    upload(uploader, *(demo_dir() / name for name in MISSING))  # checked in its own process meanwhile
    asked = []
    for index, screen in enumerate(screens):  # all twenty asked at once, before any is waited for
        asked.append(time.perf_counter())
        screen.page.goto(app.url(PAGES[index % len(PAGES)]), wait_until="commit")
    confirm = uploader.page.get_by_role("button", name="Importer les 2 fichiers acceptés")
    confirm.click()
    waited = []
    for screen, at in zip(screens, asked, strict=True):
        screen.settle()
        waited.append(time.perf_counter() - at)
        screen.assert_no_exception()
    uploader.page.get_by_text("CABM_2025_T4_indicateurs.csv : importé").wait_for(timeout=60_000)
    uploader.page.get_by_text("CABM_2025_T4_personnel.csv : importé").wait_for(timeout=60_000)
    upload_seconds = time.perf_counter() - started
    uploader.assert_no_exception()

    db = Path(app.db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        files = con.execute(
            "select file_name, count(*) from imports where file_name like 'CABM_2025_T4_%' group by 1 order by 1"
        ).fetchall()
        versions = con.execute(
            "select kind, count(*) from submissions where network_head = 'CABM' and year = 2025 and quarter = 4 "
            "group by 1 order by 1"
        ).fetchall()
    finally:
        con.close()
    assert files == [(name, 1) for name in sorted(MISSING)]  # applied once
    assert versions == [("indicateurs", 1), ("personnel", 1)]
    waited.sort()
    runs = sorted(
        r["duration"]
        for r in map(json.loads, (app.db.parent.parent / "timings.jsonl").read_text().splitlines())
        if r["start"] >= epoch - 1
    )
    print(
        f"\n{SESSIONS} sessions pendant un dépôt : page dessinée dans Chromium en {waited[len(waited) // 2]:.2f} s "
        f"(médiane), {waited[-1]:.2f} s (max) ; côté serveur, un passage de script {runs[len(runs) // 2]:.2f} s "
        f"(médiane), {runs[-1]:.2f} s (max) sur {len(runs)} ; dépôt vérifié et importé en {upload_seconds:.2f} s"
    )
    expect(uploader.page.get_by_text("CABM_2025_T4_indicateurs.csv : importé")).to_have_count(1)
