"""iaedash's benchmark: every page, on the demo and on generated databases, against a naive peer page.

    .venv/bin/python -m bench [--demo-only] [--datasets demo,100x3] [--with-5000x10] [--pages indicateurs,…]
                              [--no-browser] [--repeat 5] [--browser-repeat 3] [--sessions 10] [--out FILE]
                              [--no-imports] [--import-files 300] [--bulk-rows 1000000]

Per page and dataset: first run (after `st.cache_data.clear()`) and cached rerun through AppTest, in a fresh
process per dataset; settled time in Chromium at 1280×720 on a warm server; ten sessions opening Indicateurs
at once on one real server; the same for the naive page (bench/naive_app.py). Then the import figures
(bench/imports.py): a quarterly file, a rebuild of the 100 × 3 database, bulk files against DuckDB's own CSV
reader. Medians; two tables printed, the whole written as JSON (bench/results/<date>.json unless --out).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import datasets, imports
from bench.pages import PEER, ROOT, AppPage, select

TODAY = "2026-11-24"  # the browser tests' date: the statuses (late, due) do not depend on the day it runs
RESULTS = ROOT / "bench" / "results"
WORK = datasets.CACHE / "run"  # this run's database copies, server logs and timing files (kept for a look)


def _median(values: list[float] | None) -> float | None:
    return statistics.median(values) if values else None


def apptest(prepared: datasets.Prepared, pages: list[AppPage], repeat: int, timeout: float) -> dict[str, dict]:
    """Server-side timings in a process of their own (bench/apptest_worker.py)."""
    out = WORK / f"apptest-{prepared.dataset.name}.json"
    log = WORK / f"apptest-{prepared.dataset.name}.log"
    env = {**os.environ, **prepared.env(), "IAEDASH_TODAY": TODAY}
    env.pop("IAEDASH_TIMINGS", None)
    command = [sys.executable, "-m", "bench.apptest_worker", "--repeat", str(repeat), "--peer", "--out", str(out)]
    command += ["--pages", ",".join(p.name for p in pages), "--timeout", str(timeout)]
    with log.open("wb") as handle:
        try:
            proc = subprocess.run(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, timeout=6 * 3600)
            failed = f"worker exited with {proc.returncode} (log: {log})" if proc.returncode else None
        except subprocess.TimeoutExpired:
            failed = f"worker timed out (log: {log})"
    results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
    for name in [p.name for p in pages] + [PEER]:
        if name not in results:
            results[name] = {"error": failed or "not measured"}
    return results


def rows_of(name: str, label: str, pages: list[AppPage], server: dict, browser: dict | None) -> list[dict]:
    """One row per page (and the peer): medians, and ratios to the peer's medians."""
    rows = []
    peer = server.get(PEER, {})
    peer_rerun = _median(peer.get("rerun"))
    peer_browser = _median((browser or {}).get("pages", {}).get(PEER, {}).get("settled"))
    for page_name, title in [(p.name, p.title) for p in pages] + [(PEER, "peer (naive Indicateurs)")]:
        s = server.get(page_name, {})
        b = (browser or {}).get("pages", {}).get(page_name, {})
        rerun, settled = _median(s.get("rerun")), _median(b.get("settled"))
        errors = [e for e in (s.get("error"), b.get("error")) if e]
        rows.append(
            {
                "page": page_name,
                "title": title,
                "dataset": name,
                "dataset_label": label,
                "first_run_s": _median(s.get("first")),
                "cached_rerun_s": rerun,
                "script_first_run_s": _median(s.get("script_first")),
                "script_cached_rerun_s": _median(s.get("script_rerun")),
                "chromium_settled_s": settled,
                "chromium_navigated_s": _median(b.get("navigated")),
                "peak_rss_mb": s.get("peak_rss_mb"),
                "chromium_wall_s": _median(b.get("wall")),
                "chromium_server_side_s": _median(b.get("server")),
                "chromium_connected_s": _median(b.get("connected")),
                "ratio_rerun_to_peer": rerun / peer_rerun if rerun and peer_rerun else None,
                "ratio_chromium_to_peer": settled / peer_browser if settled and peer_browser else None,
                "charts": s.get("charts"),
                "samples": {"apptest": s, "chromium": b},
                "errors": errors,
            }
        )
    return rows


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def table(rows: list[dict]) -> str:
    head = (
        "page",
        "dataset",
        "first run",
        "cached rerun",
        "Chromium",
        "navigated",
        "÷ peer rerun",
        "÷ peer Chromium",
        "peak MB",
    )
    body = [
        (
            r["page"] + (" (ERROR)" if r["errors"] else ""),
            r["dataset_label"],
            _s(r["first_run_s"]),
            _s(r["cached_rerun_s"]),
            _s(r["chromium_settled_s"]),
            _s(r["chromium_navigated_s"]),
            _x(r["ratio_rerun_to_peer"]),
            _x(r["ratio_chromium_to_peer"]),
            "–" if r["peak_rss_mb"] is None else str(r["peak_rss_mb"]),
        )
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in [head, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def concurrency_lines(results: dict) -> list[str]:
    lines = []
    for name, data in results["datasets"].items():
        for page, c in (data.get("browser") or {}).get("concurrency", {}).items():
            if c.get("error"):
                lines.append(f"{name} {page}: ERROR {c['error']}")
                continue
            each = ", ".join(f"{v:.2f}" for v in c["server_seconds"])
            lines.append(
                f"{name} {page}: {c['recorded_sessions']}/{c['sessions']} sessions, server-side median "
                f"{_s(c['median'])}, max {_s(c['max'])} (each: {each}); runs started within "
                f"{_s(c['start_spread'])}; done after the navigations: median {_s(c.get('done_median'))}, "
                f"max {_s(c.get('done_max'))}"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default="demo,100x3", help="comma-separated: demo, NxY (default demo,100x3)")
    parser.add_argument("--demo-only", action="store_true", help="only the demo database")
    parser.add_argument("--with-5000x10", action="store_true", help="add the 5000 × 10 database (issue 12; long)")
    parser.add_argument("--pages", default="", help="comma-separated page names or titles (default: every page)")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium (settled times, concurrency)")
    parser.add_argument("--repeat", type=int, default=5, help="AppTest runs per measure (default 5)")
    parser.add_argument("--browser-repeat", type=int, default=3, help="Chromium opens per page (default 3)")
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions (0: skip; default 10)")
    parser.add_argument("--timeout", type=float, default=300, help="AppTest timeout of one run, in seconds")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/<date>.json)")
    parser.add_argument(
        "--imports",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="import figures: quarterly file, rebuild 100 × 3, bulk files (default: on)",
    )
    parser.add_argument("--import-files", type=int, default=300, help="quarterly files imported (default 300)")
    parser.add_argument("--bulk-rows", type=int, default=1_000_000, help="rows of each bulk file (default 1,000,000)")
    args = parser.parse_args(argv)

    names = ["demo"] if args.demo_only else [n for n in args.datasets.split(",") if n]
    if args.with_5000x10 and "5000x10" not in names:
        names.append("5000x10")
    chosen = [datasets.parse(n) for n in names]
    pages = select(args.pages.split(",") if args.pages else None)
    browser_missing = None
    if not args.no_browser:
        from bench.browser import available

        browser_missing = available()
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)

    started = time.time()
    results: dict[str, Any] = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "streamlit": _version("streamlit"),
            "duckdb": _version("duckdb"),
            "plotly": _version("plotly"),
        },
        "settings": {
            "repeat": args.repeat,
            "browser_repeat": args.browser_repeat,
            "sessions": args.sessions,
            "browser": None if args.no_browser else (browser_missing or "chromium"),
        },
        "notes": [
            "first run: a run of the page right after st.cache_data.clear(), in a warm process (as after an import)",
            "cached rerun: the same page run again, nothing changed",
            "Chromium: fresh 1280×720 profile opening the page on a warm server whose caches hold every page; "
            "wall time of goto + Screen.settle less settle's fixed waits (chromium_wall_s keeps them)",
            "ratios: the page's median over the naive peer's median, same dataset, same run",
        ],
        "datasets": {},
        "rows": [],
    }
    for dataset in chosen:
        print(f"== {dataset.label}", file=sys.stderr, flush=True)
        entry: dict[str, Any] = {"label": dataset.label}
        results["datasets"][dataset.name] = entry
        try:
            prepared = datasets.prepare(dataset, WORK)
        except Exception as error:
            entry["error"] = f"{type(error).__name__}: {error}"
            print(f"   dataset not built: {entry['error']}", file=sys.stderr)
            continue
        entry["db_size_mb"] = round(prepared.db.stat().st_size / 1e6, 1)
        print("   AppTest…", file=sys.stderr, flush=True)
        server = apptest(prepared, pages, args.repeat, args.timeout)
        browser = None
        if not args.no_browser and browser_missing is None:
            print("   Chromium…", file=sys.stderr, flush=True)
            from bench import browser as chromium

            env = {**prepared.env(), "IAEDASH_TODAY": TODAY}
            try:
                browser = chromium.measure(env, WORK, dataset.name, pages, args.browser_repeat, args.sessions)
            except Exception as error:
                browser = {"error": f"{type(error).__name__}: {error}"[:800], "pages": {}, "concurrency": {}}
        elif browser_missing:
            entry["browser_skipped"] = browser_missing
        entry["browser"] = {k: v for k, v in (browser or {}).items() if k != "pages"} or None
        results["rows"] += rows_of(dataset.name, dataset.label, pages, server, browser)
    if args.imports:  # after the pages: nothing else runs then (no server, no browser)
        print("== imports", file=sys.stderr, flush=True)
        results["imports"] = imports.run(
            WORK / "imports",
            files=args.import_files,
            rows=args.bulk_rows,
            progress=lambda text: print(text, file=sys.stderr, flush=True),
        )
    results["seconds"] = round(time.time() - started)

    print()
    print(table(results["rows"]))
    for line in concurrency_lines(results):
        print(line)
    if "imports" in results:
        print()
        print(imports.table(results["imports"]))
    for r in results["rows"]:
        for error in r["errors"]:
            print(f"ERROR {r['page']} on {r['dataset_label']}: {error}")
    for name, entry in results["datasets"].items():
        for key in ("error", "browser_skipped"):
            if entry.get(key):
                print(f"{name}: {key}: {entry[key]}")
        for key in ("error", "peer_error"):
            if (entry.get("browser") or {}).get(key):
                print(f"{name}: browser {key}: {entry['browser'][key]}")
    print("2 cores shared with whatever else runs: indicative timings.")
    out = args.out or RESULTS / f"{datetime.now():%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"written: {out}")
    return 0


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    raise SystemExit(main())
