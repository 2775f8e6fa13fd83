"""Server-side timings through AppTest, in a process of their own (one per dataset; started by bench.run).

For each page: a fresh AppTest runs the default page once (the process and its imports warm), then
`repeat` first runs — `st.cache_data.clear()` then a run of the page, as after an import — then `repeat`
cached reruns. Each `.run()` is timed as the caller waits for it, and the script thread's own time is kept
beside it (`ScriptRunner._run_script` wrapped). A page that fails is recorded with its error, and the
others go on. Results are written after every page, so a crash leaves what was measured.

Environment: IAEDASH_DB, IAEDASH_CALLS_DIR, IAEDASH_TODAY, set by the caller.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import time
import traceback
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.testing.v1 import AppTest

from bench.pages import APP, NAIVE_APP, PEER, select
from iaedash.ui import UNEXPECTED_ERROR

_SCRIPT_SECONDS: list[float] = []
_original = ScriptRunner._run_script


def _timed(self: Any, rerun_data: Any) -> None:
    clock = time.perf_counter()
    try:
        _original(self, rerun_data)
    finally:
        _SCRIPT_SECONDS.append(time.perf_counter() - clock)


ScriptRunner._run_script = _timed


class _LastError(logging.Handler):
    """ui.run_page turns a page's exception into « Erreur inattendue » and logs it: keep its last line."""

    last: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            self.last = f"{type(error).__name__}: {error}"


_LOGGED = _LastError(logging.ERROR)
logging.getLogger("iaedash").addHandler(_LOGGED)


def _failure(at: AppTest) -> str | None:
    if at.exception:
        return "; ".join(e.message for e in at.exception)[:500]
    if any(UNEXPECTED_ERROR in e.value for e in at.error):
        return f"{UNEXPECTED_ERROR}: {_LOGGED.last or 'see the log'}"[:500]
    return None


def _run(at: AppTest, *, check: bool = True) -> tuple[float, float]:
    _SCRIPT_SECONDS.clear()
    _LOGGED.last = None
    clock = time.perf_counter()
    at.run()
    wall = time.perf_counter() - clock
    failure = _failure(at) if check else None
    if failure:
        raise PageFailed(failure)
    return wall, sum(_SCRIPT_SECONDS)


class PageFailed(Exception):
    """The page raised, or showed « Erreur inattendue »."""


def measure(script: Path, page: str | None, repeat: int, timeout: float) -> dict:
    result: dict[str, Any] = {"first": [], "rerun": [], "script_first": [], "script_rerun": [], "error": None}
    try:
        at = AppTest.from_file(str(script), default_timeout=timeout)
        _run(at, check=False)  # warm: imports, schema check; the default page's own failure is its own row
        for _ in range(repeat):
            st.cache_data.clear()
            if page:
                at.switch_page(page)
            wall, inside = _run(at)
            result["first"].append(wall)
            result["script_first"].append(inside)
        for _ in range(repeat):
            wall, inside = _run(at)
            result["rerun"].append(wall)
            result["script_rerun"].append(inside)
        result["charts"] = len(at.get("plotly_chart"))
    except PageFailed as error:
        result["error"] = str(error)
    except Exception as error:  # a timeout, a crash of AppTest itself: reported, the next page goes on
        result["error"] = f"{type(error).__name__}: {error}"[:500]
        result["traceback"] = traceback.format_exc()[-2000:]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--peer", action="store_true", help="also measure bench/naive_app.py")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    results: dict[str, dict] = {}
    targets: list[tuple[str, Path, str | None]] = [
        (p.name, APP, p.script) for p in select(args.pages.split(",") if args.pages else None)
    ]
    if args.peer:
        targets.append((PEER, NAIVE_APP, None))
    for name, script, page in targets:
        results[name] = measure(script, page, args.repeat, args.timeout)
        # the process's peak so far (Linux: KiB): an app process that has served every page up to this one
        results[name]["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
