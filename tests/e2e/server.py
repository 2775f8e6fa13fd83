"""A real iaedash server for the browser tests: `streamlit run app.py` on a free loopback port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-24"  # the statuses (late, missing, due) are computed against this date


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
def running_app(
    db: Path,
    log: Path,
    app_dir: Path = ROOT,
    *,
    env: dict[str, str] | None = None,
    port_args: Callable[[int], list[str]] | None = None,
) -> Iterator[App]:
    """`streamlit run app.py` with the project's own .streamlit/config.toml; stopped whatever happens.

    `env` adds environment variables; `port_args(port)` adds command-line options that depend on the port
    (the sign-in's secrets file names the server's own address)."""
    port = _free_port()
    env = {**os.environ, "IAEDASH_DB": str(db), "IAEDASH_TODAY": TODAY, **(env or {})}
    command = [sys.executable, "-m", "streamlit", "run", "app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += port_args(port) if port_args else []
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
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"streamlit not healthy after 60 s:\n{log.read_text(errors='replace')}")
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


def demo_without(missing: list[str], folder: Path) -> Path:
    """The demo database loaded without some of its files (a quarter still to be sent, for upload tests)."""
    from iaedash.demo import demo_dir, load_demo

    for path in demo_dir().iterdir():
        if path.name not in missing and path.name != "manifest.csv":
            shutil.copy(path, folder / path.name)
    manifest = (demo_dir() / "manifest.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in manifest if line.split(";")[0] not in missing]
    (folder / "manifest.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    db = folder / "base" / "iaedash.duckdb"
    db.parent.mkdir()
    assert all(o.status == "accepted" for o in load_demo(db, folder))
    return db
