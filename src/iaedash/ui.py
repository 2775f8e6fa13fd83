"""The one module outside pages/ that imports Streamlit: database bootstrap, cached reads, banners."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from iaedash import dashboard, demo, store
from iaedash.formatting import format_date
from iaedash.settings import database_path

_BOOTSTRAP_LOCK = threading.Lock()


def database() -> Path:
    """The database the app reads; created with the demo data on a fresh checkout."""
    path = database_path().resolve()
    if not path.exists():
        with _BOOTSTRAP_LOCK:
            if not path.exists():
                with st.spinner("Première ouverture : création de la base avec les données de démonstration…"):
                    demo.load_demo(path)
    return path


def status(path: Path) -> store.DataStatus:
    """Read at every run (a few ms): its version keys every cached query, so a new import shows at once."""
    return store.data_status(path)


@st.cache_data(max_entries=64, show_spinner=False)
def years(path: str, version: int) -> list[int]:
    return dashboard.years(Path(path))


@st.cache_data(max_entries=64, show_spinner=False)
def indicator_totals(path: str, version: int, year: int) -> pd.DataFrame:
    return dashboard.indicator_totals(Path(path), year)


def data_banner(current: store.DataStatus) -> None:
    """Say what the data are and how current: a screenshot must tell it on its own."""
    if current.demo:
        st.warning(
            "**Données de démonstration fictives** : les réseaux, montants et indicateurs affichés sont inventés.",
            icon="⚠️",
        )
    if current.last_imported_at is not None:
        st.caption(
            f"{current.imports} fichier(s) importé(s) ; dernier dépôt importé le "
            f"{format_date(current.last_imported_at.date())} à {current.last_imported_at:%H:%M}."
        )
