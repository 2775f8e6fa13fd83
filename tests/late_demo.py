"""The demo with quarters to remind: some of its files left out of the load (still to be sent) and, once
loaded, a quarter returned for correction. What should then be reminded is worked out here from the demo's
manifest, its files and the call's data file, read without iaedash (see demo_truth)."""

from __future__ import annotations

import shutil
import tomllib
from datetime import date, timedelta
from pathlib import Path

import demo_truth as truth

from iaedash.demo import load_demo

ROOT = Path(__file__).resolve().parents[1]
# CABM's T3 staff costs, ISARR's T2 indicators, URQLL's whole T4 never came in.
MISSING_FILES = (
    "CABM_2025_T3_personnel.csv",
    "ISARR_2025_T2_indicateurs.csv",
    "URQLL_2025_T4_indicateurs.csv",
    "URQLL_2025_T4_personnel.csv",
)
RETURNED = ("FEIAL", 3)  # returned for correction once loaded, with this reason
RETURN_REASON = "Les formations PRO du trimestre (12) ne correspondent pas au bilan envoyé : merci de vérifier."


def build(folder: Path) -> Path:
    """The demo database loaded through the normal import path without MISSING_FILES (the return is the test's
    act, made with iaedash.review)."""
    source = folder / "fichiers"
    source.mkdir(parents=True)
    for path in truth.DEMO.iterdir():
        if path.name not in MISSING_FILES and path.name != "manifest.csv":
            shutil.copy(path, source / path.name)
    lines = (truth.DEMO / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if line.split(";")[0] not in MISSING_FILES]
    (source / "manifest.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    db = folder / "base" / "iaedash.duckdb"
    db.parent.mkdir()
    assert all(o.status == "accepted" for o in load_demo(db, source))
    return db


def call_2025() -> dict:
    with (ROOT / "data" / "appels" / "2025.toml").open("rb") as handle:
        return tomllib.load(handle)


def due_date(quarter: int) -> date:
    """The quarter's end plus the call's delay (`delai_depot_jours`), from the call's data file."""
    end = date(2025, 12, 31) if quarter == 4 else date(2025, 3 * quarter + 1, 1) - timedelta(days=1)
    return end + timedelta(days=call_2025()["delai_depot_jours"])


def network_heads() -> list[str]:
    return sorted(row["reseau"] for row in truth._sheets(truth.DEMO / "conventions_2025.csv")["conventions"])


def received_kinds() -> dict[tuple[str, int], set[str]]:
    """(network head, quarter) → the kinds of file loaded for it ("indicateurs", "personnel") in 2025, the year
    this late demo is about (the demo's 2026 has its own quarters)."""
    kinds: dict[tuple[str, int], set[str]] = {}
    for path, _ in truth.manifest():
        if path.name in MISSING_FILES or "_2025" not in path.name:
            continue
        for kind, rows in truth._sheets(path).items():
            if kind == "indicateurs":
                kinds.setdefault((rows[0]["reseau"], int(rows[0]["trimestre"].lstrip("T"))), set()).add(kind)
            elif kind == "personnel":
                quarter = (int(float(rows[0]["mois"])) - 1) // 3 + 1
                kinds.setdefault((rows[0]["reseau"], quarter), set()).add(kind)
    return kinds


def expected_missing(today: date) -> dict[tuple[str, int], set[str]]:
    """(network head, quarter) → what it lacks, for every quarter whose due date has passed at `today`."""
    received = received_kinds()
    out = {}
    for head in network_heads():
        for quarter in (1, 2, 3, 4):
            lacking = {"indicateurs", "personnel"} - received.get((head, quarter), set())
            if lacking and today > due_date(quarter):
                out[(head, quarter)] = lacking
    return out
