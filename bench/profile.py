"""One cached rerun of a page under pyinstrument: where its time goes.

    .venv/bin/python -m bench.profile indicateurs [--dataset demo|100x3|NxY] [--first] [--out-dir bench/results]

The script runs in Streamlit's script thread, so profiling `AppTest.run()` from outside would only show the
wait: the profiler is started and stopped inside `ScriptRunner._run_script`, in that thread. The page is run
once (and its caches filled), then profiled on its next, cached, rerun (`--first`: on a run right after
`st.cache_data.clear()` instead). Writes an HTML and a text profile, and prints the text one.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from bench import datasets
from bench.pages import APP, NAIVE_APP, PEER, ROOT, select

TODAY = "2026-11-24"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("page", help="a page's script name or title (indicateurs, « Fiche réseau »…), or peer")
    parser.add_argument("--dataset", default="demo", help="demo (default), or NxY such as 100x3 (cached)")
    parser.add_argument("--first", action="store_true", help="profile a first run (after cache clear) instead")
    parser.add_argument("--out-dir", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument absent: .venv/bin/pip install -r requirements-dev.txt", file=sys.stderr)
        return 2
    peer = args.page.lower() == PEER
    page = None if peer else select([args.page])[0]

    prepared = datasets.prepare(datasets.parse(args.dataset), datasets.CACHE / "profile")
    os.environ.update({**prepared.env(), "IAEDASH_TODAY": TODAY})
    os.environ.pop("IAEDASH_TIMINGS", None)

    import streamlit as st
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.testing.v1 import AppTest

    profiler = Profiler(interval=0.0005)
    profiling = {"on": False}
    original = ScriptRunner._run_script

    def profiled(self: Any, rerun_data: Any) -> None:
        if not profiling["on"]:
            original(self, rerun_data)
            return
        profiler.start()  # in the script thread: the one whose time we want
        try:
            original(self, rerun_data)
        finally:
            profiler.stop()

    ScriptRunner._run_script = profiled
    at = AppTest.from_file(str(NAIVE_APP if peer else APP), default_timeout=600)
    at.run()
    if page:
        at.switch_page(page.script)
    at.run()  # caches filled
    if at.exception:
        print(f"the page failed: {[e.message for e in at.exception]}", file=sys.stderr)
        return 1
    if args.first:
        st.cache_data.clear()
    profiling["on"] = True
    at.run()
    profiling["on"] = False

    stem = f"profile-{PEER if peer else page.name}-{args.dataset}-{'first' if args.first else 'rerun'}"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    html, text = args.out_dir / f"{stem}.html", args.out_dir / f"{stem}.txt"
    html.write_text(profiler.output_html(), encoding="utf-8")
    summary = profiler.output_text(unicode=True, color=False, show_all=False)
    text.write_text(summary, encoding="utf-8")
    print(summary)
    print(f"written: {html}\n         {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
