"""The databases measured: the demo, and generated ones cached under bench/cache/ (git-ignored).

A generated database takes minutes to import (issue 12), so it is built once per size and generator
version (`bench/cache/echelle-100x3-v1/`: the database, its kept files and its calls) and reused. Every run
measures a private copy of the database file, so the pages' own writes (schema upgrade, journal) never
touch the cache.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from iaedash import scale
from iaedash.demo import load_demo

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "cache"


@dataclass(frozen=True)
class Dataset:
    name: str  # "demo", "100x3", "5000x10"
    size: scale.Scale | None  # None: the hand-written demo of data/demo

    @property
    def label(self) -> str:
        if self.size is None:
            return "demo (6 × 2, 2026 in progress)"  # 6 × 1 before 2026 was added (results of 2026-12-02)
        return f"{self.size.network_heads} × {self.size.years}"


def parse(name: str) -> Dataset:
    if name == "demo":
        return Dataset("demo", None)
    heads, _, years = name.partition("x")
    if not (heads.isdigit() and years.isdigit()):
        raise SystemExit(f"unknown dataset « {name} »: demo or NxY (e.g. 100x3)")
    return Dataset(name, scale.Scale(int(heads), int(years)))


@dataclass(frozen=True)
class Prepared:
    """A measurable copy: the database file to serve, and the calls folder the app must read."""

    dataset: Dataset
    db: Path
    calls_dir: Path | None  # None: the project's data/appels

    def env(self) -> dict[str, str]:
        out = {"IAEDASH_DB": str(self.db)}
        if self.calls_dir is not None:
            out["IAEDASH_CALLS_DIR"] = str(self.calls_dir)
        return out


def _cached(dataset: Dataset) -> tuple[Path, Path | None]:
    if dataset.size is None:
        folder = CACHE / "demo"
        db = folder / "iaedash.duckdb"
        if folder.exists():  # the demo builds in seconds: always from today's files and code
            shutil.rmtree(folder)
        outcomes = load_demo(db)
        refused = [o.file_name for o in outcomes if not o.ok]
        if refused:
            raise RuntimeError(f"demo files refused: {refused}")
        return db, None
    folder = CACHE / dataset.size.key
    db = folder / "iaedash.duckdb"
    if not db.exists():
        partial = CACHE / f"{dataset.size.key}.partial"
        if partial.exists():
            shutil.rmtree(partial)
        print(f"building {dataset.label} into {folder} (once; minutes)…", file=sys.stderr, flush=True)
        built = scale.build(
            partial / "iaedash.duckdb",
            dataset.size,
            lambda done, year: print(f"\r  {year}: {done} files", end="", file=sys.stderr, flush=True),
        )
        print(f"\n  {len(built.outcomes)} files in {built.seconds:.0f} s", file=sys.stderr, flush=True)
        if built.refused:
            raise RuntimeError(f"generated files refused: {[o.file_name for o in built.refused[:5]]}")
        partial.rename(folder)
    return db, folder / scale.CALLS_DIRNAME


def prepare(dataset: Dataset, work: Path) -> Prepared:
    """The cached database (built if needed), copied into `work`."""
    source, calls = _cached(dataset)
    target = work / dataset.name / "iaedash.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return Prepared(dataset, target, calls)


def cached_folder(dataset: Dataset) -> Path:
    """The cached generated database's folder, built if needed: `iaedash.duckdb`, `depots/`, `appels/`.
    Never write into it: copy it."""
    if dataset.size is None:
        raise ValueError("the demo is rebuilt at every run, not cached")
    db, _ = _cached(dataset)
    return db.parent
