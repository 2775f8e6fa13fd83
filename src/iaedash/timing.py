"""Server-side time of each script run, for the benchmark (bench/): off unless $IAEDASH_TIMINGS names a file.

When it does, every script run of the server appends one JSON line to that file: the page, when the run
started (epoch seconds), how long the whole run took (app.py and the page, reruns included, as Streamlit's
script thread sees it), how long the page itself took, the thread and the session. The whole run is timed by
wrapping Streamlit's `ScriptRunner._run_script`, installed by the first run of the process: that first run
is not recorded (the benchmark warms the server before measuring).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCAL = threading.local()  # the page and its own duration, set in the script thread by `script_run`
_WRITE = threading.Lock()
_INSTALLED = False


def _target() -> str | None:
    return os.environ.get("IAEDASH_TIMINGS") or None


def _install() -> None:
    """Wrap the script runner once per process, so that each run is timed from its very start."""
    global _INSTALLED
    if _INSTALLED:
        return
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def timed(self: Any, rerun_data: Any) -> None:
        start, clock = time.time(), time.perf_counter()
        _LOCAL.page = _LOCAL.page_duration = None
        try:
            original(self, rerun_data)
        finally:
            _write(start, time.perf_counter() - clock, self)

    ScriptRunner._run_script = timed
    _INSTALLED = True


def _write(start: float, duration: float, runner: Any) -> None:
    target = _target()
    if target is None or getattr(_LOCAL, "page", None) is None:
        return
    record = {
        "page": _LOCAL.page,
        "start": round(start, 6),
        "duration": round(duration, 6),
        "page_duration": _LOCAL.page_duration,
        "thread": f"{threading.current_thread().name}-{threading.get_ident()}",
        "session": getattr(runner, "_session_id", None),
    }
    with _WRITE, open(target, "a", encoding="utf-8") as out:  # noqa: PTH123 (one short append per run)
        out.write(json.dumps(record) + "\n")


@contextmanager
def script_run(navigation: Any) -> Iterator[None]:
    """Around `ui.run_page(navigation)` in app.py: names the page of this run and times the page itself."""
    if _target() is None:
        yield
        return
    _install()
    clock = time.perf_counter()
    try:
        yield
    finally:
        _LOCAL.page = getattr(navigation, "title", None) or "?"
        _LOCAL.page_duration = round(time.perf_counter() - clock, 6)
