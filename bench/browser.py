"""Chromium timings on a real server: each page opened until settled, and ten sessions opening one page at once.

The server is the browser tests' own (`tests/e2e/server.py` `running_app`: `streamlit run app.py` on a free
loopback port with the project's config) and « settled » is theirs too (`tests/e2e/screen.py`
`Screen.settle`): connected, script done and staying done, title shown, nothing loading, every chart drawn.
`Screen.settle` ends with fixed waits (250 ms to see the script stay done, 300 ms for Plotly's marks); they
are counted and reported apart, the settled time being the wall time less those waits.

Server-side times come from the app's timing hook (`iaedash.timing`, $IAEDASH_TIMINGS): one JSON line per
script run, read back after each measure.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.pages import NAIVE_APP, ROOT, AppPage

sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from conftest import CHROMIUM_ARGS  # the browser tests' own launch arguments
from screen import RequestGuard, Screen
from server import running_app

from iaedash.ui import UNEXPECTED_ERROR

CHROMIUM = Path("/usr/bin/chromium")
PEER_TITLE = "Indicateurs (version naïve)"

# The peer runs alone as its own app.py (running_app serves the app.py of a folder), inside the timing hook
# like the real app, so that its server-side times are measured the same way.
PEER_ENTRY = f"""
import runpy

from iaedash import timing


class _Page:
    title = {PEER_TITLE!r}


with timing.script_run(_Page()):
    runpy.run_path({str(NAIVE_APP)!r}, run_name="__main__")
"""


def available() -> str | None:
    """None when Chromium and Playwright are there, else why not."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} absent (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright absent (pip install -r requirements-dev.txt)"
    return None


class _CountedWaits:
    """The Playwright page, with the fixed waits of Screen.settle added up (they are not the app's time)."""

    def __init__(self, page: Any) -> None:
        self._page = page
        self.waited = 0.0

    def wait_for_timeout(self, ms: float) -> None:
        self.waited += ms / 1000
        self._page.wait_for_timeout(ms)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


@dataclass
class Server:
    base: str
    timings: Path
    title_of: dict[str, str]  # url path → page title in the timing records

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

    def records(self, since: float) -> list[dict]:
        if not self.timings.exists():
            return []
        lines = self.timings.read_text(encoding="utf-8").splitlines()
        return [r for r in map(json.loads, lines) if r["start"] >= since]


@contextmanager
def serve(env: dict[str, str], work: Path, name: str, *, peer: bool = False) -> Iterator[Server]:
    """The app (or the peer) on a free loopback port, with the timing hook writing under `work`."""
    name = f"{name}-peer" if peer else name
    timings = work / f"timings-{name}.jsonl"
    timings.unlink(missing_ok=True)
    log = work / f"streamlit-{name}.log"
    app_dir = ROOT
    if peer:
        app_dir = work / name
        (app_dir / ".streamlit").mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / ".streamlit" / "config.toml", app_dir / ".streamlit" / "config.toml")
        (app_dir / "app.py").write_text(PEER_ENTRY, encoding="utf-8")
    with running_app(Path(env["IAEDASH_DB"]), log, app_dir, env={**env, "IAEDASH_TIMINGS": str(timings)}) as app:
        yield Server(app.base, timings, {})


def _context(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR", timezone_id="Europe/Paris")


CONNECTED = '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
# A page settled on an error is not a timing: Streamlit's exception box, or the app's « Erreur inattendue ».
SHOWN_ERROR = """(failed) => {
  const box = document.querySelector('[data-testid="stException"]');
  if (box) return box.innerText;
  const main = document.querySelector('[data-testid="stMain"]');
  return main && main.innerText.includes(failed) ? failed : null;
}"""


class PageShowsError(Exception):
    """The page settled, on an error."""


def open_settled(browser: Any, url: str) -> tuple[float, float, float]:
    """A fresh browser profile opens `url`: (wall time until settled, fixed waits inside it, time until
    Streamlit's front end is loaded and connected — what the browser spends before the script's output)."""
    context = _context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        counted = _CountedWaits(page)
        screen = Screen(counted, RequestGuard(), "")
        clock = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(CONNECTED)
        connected = time.perf_counter() - clock
        screen.settle()
        wall = time.perf_counter() - clock
        failure = page.evaluate(SHOWN_ERROR, UNEXPECTED_ERROR)
        if failure:
            raise PageShowsError(failure[:500])
        return wall, counted.waited, connected
    finally:
        context.close()


def navigate_settled(browser: Any, server: Server, pages: list[tuple[str, str, str]], repeat: int) -> dict[str, list]:
    """What a meeting sees: the app already open in one profile, each page reached through the navigation
    (its section's menu, then the link), timed from the first click until settled, less the fixed waits."""
    out: dict[str, list] = {name: [] for name, _, _ in pages}
    context = _context(browser)
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        counted = _CountedWaits(page)
        screen = Screen(counted, RequestGuard(), "")
        page.goto(server.url(""))
        screen.settle()
        current = pages[0][2] if pages else None  # the bare address opens the default page, listed first
        for _ in range(repeat):
            for name, _, title in pages:
                if title == current and len(pages) > 1:  # its own link would not rerun: go elsewhere first
                    screen.go(next(t for _, _, t in pages if t != title))
                current = title
                counted.waited = 0.0
                clock = time.perf_counter()
                screen.go(title)
                out[name].append(time.perf_counter() - clock - counted.waited)
    finally:
        context.close()
    return out


def _server_seconds(records: list[dict], title: str) -> float | None:
    """A page's server-side time for one session: its runs added up (a deep link may run twice)."""
    by_session: dict[str, float] = {}
    for r in records:
        if r["page"] == title:
            by_session[r["session"]] = by_session.get(r["session"], 0.0) + r["duration"]
    return max(by_session.values()) if by_session else None


def settle_pages(browser: Any, server: Server, pages: list[tuple[str, str, str]], repeat: int) -> dict[str, dict]:
    """(name, url path, title) each opened once to warm the server and its caches, then `repeat` times."""
    out: dict[str, dict] = {}
    for name, path, _ in pages:
        try:
            open_settled(browser, server.url(path))
        except Exception as error:
            out[name] = {"error": f"{type(error).__name__}: {error}"[:500]}
    for name, path, title in pages:
        if name in out:
            continue
        result: dict[str, Any] = {
            "wall": [],
            "fixed_waits": [],
            "settled": [],
            "connected": [],
            "server": [],
            "error": None,
        }
        try:
            for _ in range(repeat):
                since = time.time()
                wall, waits, connected = open_settled(browser, server.url(path))
                result["wall"].append(wall)
                result["connected"].append(connected)
                result["fixed_waits"].append(waits)
                result["settled"].append(wall - waits)
                seconds = _server_seconds(server.records(since), title)
                if seconds is not None:
                    result["server"].append(seconds)
        except Exception as error:  # a page that never settles is reported; the others go on
            result["error"] = f"{type(error).__name__}: {error}"[:500]
        out[name] = result
    return out


def concurrent(browser: Any, server: Server, path: str, title: str, sessions: int) -> dict:
    """`sessions` profiles open the page at the same moment; each session's server-side time, from the timing
    hook. Each profile has first opened the app's bare address (its front end then comes from the browser's
    cache: ten front ends booting at once on two cores would otherwise spread the sessions' starts over
    seconds); then every navigation is started within a few milliseconds."""
    contexts = [_context(browser) for _ in range(sessions)]
    try:
        pages = [c.new_page() for c in contexts]
        for page in pages:
            page.set_default_timeout(300_000)
            page.goto(server.url(""))
            Screen(page, RequestGuard(), "").settle()
        url = server.url(path) if path else server.url("?bench=1")  # another address than the one open
        since = time.time()
        for page in pages:  # returns at once; the navigations run side by side
            page.evaluate("u => setTimeout(() => { window.location.href = u; }, 0)", url)
        for page in pages:
            page.wait_for_url(f"{url}*")
            Screen(page, RequestGuard(), "").settle()
        wall = time.time() - since
        records = [r for r in server.records(since) if r["page"] == title]
    finally:
        for c in contexts:
            c.close()
    per_session: dict[str, dict] = {}
    for r in records:
        entry = per_session.setdefault(r["session"], {"start": r["start"], "duration": 0.0, "runs": 0})
        entry["duration"] += r["duration"]
        entry["runs"] += 1
        entry["start"] = min(entry["start"], r["start"])
    durations = sorted(e["duration"] for e in per_session.values())
    starts = [e["start"] for e in per_session.values()]
    ends = [r["start"] + r["duration"] for r in records]
    # What each person waited on the server: from the moment the navigations were started to the end of its
    # run (the run's own duration leaves out the time its session waited to start).
    done = sorted(e["start"] + e["duration"] - since for e in per_session.values())
    return {
        "sessions": sessions,
        "recorded_sessions": len(per_session),
        "server_seconds": durations,
        "median": statistics.median(durations) if durations else None,
        "max": max(durations) if durations else None,
        "done_after_navigation": done,
        "done_median": statistics.median(done) if done else None,
        "done_max": max(done) if done else None,
        "start_spread": (max(starts) - min(starts)) if starts else None,
        "last_end_after_first_start": (max(ends) - min(starts)) if ends else None,
        "client_wall_until_all_settled": wall,
    }


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def measure(env: dict[str, str], work: Path, name: str, pages: list[AppPage], repeat: int, sessions: int) -> dict:
    """Every page of the app, then the peer, each on its own server; ten sessions on the heaviest page of each."""
    from bench.pages import HEAVIEST, PEER

    out: dict[str, Any] = {"pages": {}, "concurrency": {}}
    with chromium() as browser:
        try:
            with serve(env, work, name) as server:
                listed = [(p.name, p.url_path, p.title) for p in pages]
                out["pages"] = settle_pages(browser, server, listed, repeat)
                try:
                    for page_name, times in navigate_settled(browser, server, listed, repeat).items():
                        out["pages"].setdefault(page_name, {})["navigated"] = times
                except Exception as error:
                    out["navigation_error"] = f"{type(error).__name__}: {error}"[:500]
                heaviest = next((p for p in pages if p.name == HEAVIEST), None)
                if heaviest and sessions:
                    try:
                        out["concurrency"][HEAVIEST] = concurrent(
                            browser, server, heaviest.url_path, heaviest.title, sessions
                        )
                    except Exception as error:
                        out["concurrency"][HEAVIEST] = {"error": f"{type(error).__name__}: {error}"[:500]}
        except BaseException as error:  # running_app fails through pytest.fail (a BaseException)
            if isinstance(error, KeyboardInterrupt):
                raise
            out["error"] = f"app server: {type(error).__name__}: {error}"[:800]
        try:
            with serve(env, work, name, peer=True) as server:
                out["pages"].update(settle_pages(browser, server, [(PEER, "", PEER_TITLE)], repeat))
                if sessions:
                    try:
                        out["concurrency"][PEER] = concurrent(browser, server, "", PEER_TITLE, sessions)
                    except Exception as error:
                        out["concurrency"][PEER] = {"error": f"{type(error).__name__}: {error}"[:500]}
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                raise
            out["peer_error"] = f"peer server: {type(error).__name__}: {error}"[:800]
    return out
