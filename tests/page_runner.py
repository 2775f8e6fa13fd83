"""Running the app's pages with AppTest on a private copy of the demo database."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from iaedash.ui import UNEXPECTED_ERROR

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TODAY = "2026-11-24"  # the statuses of the demo years do not depend on the day the tests run


def open_page(page: str | None = None, **params: str | list[str]) -> AppTest:
    """Start the app as a browser would on `?params`, then go to `page`."""
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page:
        app.switch_page(page).run()
    assert_ran(app)
    return app


def show_tab(app: AppTest, key: str, label: str) -> AppTest:
    """Open the section `label` of the tabs (or, in meeting mode, the segmented control) bound to `key`: only the
    open section is built, so a test reads another one by switching to it, as a click would."""
    app.session_state[key] = label
    app.run()
    assert_ran(app)
    return app


def assert_ran(app: AppTest) -> None:
    """The page ran to its end: no exception, and none turned into « Erreur inattendue » by ui.run_page."""
    assert not app.exception, [e.message for e in app.exception]
    unexpected = [e.value for e in app.error if UNEXPECTED_ERROR in e.value]
    assert not unexpected, unexpected


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def number(text: str) -> int:
    """« 1 490 » → 1490."""
    return int(text.replace("\u202f", "").replace("\u00a0", "").replace(" ", ""))


def values(data: object) -> list:
    """A Plotly array as a list: Plotly 7 ships numbers as typed base64 (`{"dtype", "bdata"}`)."""
    import base64

    import numpy as np

    if isinstance(data, dict) and "bdata" in data:
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        return array.tolist()
    return list(data)
