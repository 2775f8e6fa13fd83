"""Where things are: the database file, the kept submissions, the calls' data files, the call's areas, the app's
address."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = Path("data") / "iaedash.duckdb"
KEPT_FILES_DIRNAME = "depots"
DEFAULT_URL = "http://localhost:8501"  # `streamlit run app.py` on this computer
SIGN_IN_CALLBACK = "/oauth2callback"


def database_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """`--db`, else $IAEDASH_DB, else data/iaedash.duckdb (relative to the current folder)."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get("IAEDASH_DB")
    return Path(env) if env else DEFAULT_DB


def kept_files_dir(db_path: Path) -> Path:
    """Accepted files are kept as received beside the database, so it can be rebuilt from them."""
    return db_path.parent / KEPT_FILES_DIRNAME


def calls_dir() -> Path:
    """One data file per call; $IAEDASH_CALLS_DIR points elsewhere (tests, next year's call)."""
    env = os.environ.get("IAEDASH_CALLS_DIR")
    return Path(env) if env else PROJECT_ROOT / "data" / "appels"


def access_file() -> Path:
    """The roles file read when sign-in is on; $IAEDASH_ACCES names another."""
    env = os.environ.get("IAEDASH_ACCES")
    return Path(env) if env else PROJECT_ROOT / "data" / "acces.toml"


def territories_file() -> Path:
    """The call's territorial areas (data/territoires.toml); $IAEDASH_TERRITOIRES names another."""
    env = os.environ.get("IAEDASH_TERRITOIRES")
    return Path(env) if env else PROJECT_ROOT / "data" / "territoires.toml"


def demo_dir() -> Path:
    """The generated fictitious submission files loaded by `iaedash demo`."""
    return PROJECT_ROOT / "data" / "demo"


def public_url(redirect_uri: str | None = None) -> str:
    """The app's address as the network heads reach it, for the links of a reminder: $IAEDASH_URL, else the
    sign-in's `redirect_uri` (secrets `[auth]`) without its `/oauth2callback`, else this computer's."""
    env = os.environ.get("IAEDASH_URL", "").strip()
    if env:
        return env.rstrip("/")
    if redirect_uri and redirect_uri.strip():
        return redirect_uri.strip().removesuffix(SIGN_IN_CALLBACK).rstrip("/")
    return DEFAULT_URL
