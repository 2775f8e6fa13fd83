"""The README's two commands stay true: CI runs the test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    return re.findall(r"```bash\n(.+?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))


def test_ci_runs_the_readme_test_command():
    run_app, run_tests = commands()[:2]
    assert "streamlit run app.py" in run_app
    assert "pytest" in run_tests
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()


def test_requirements_pin_the_runtime_and_install_the_package():
    lines = [x for x in (ROOT / "requirements.txt").read_text().splitlines() if x and not x.startswith("#")]
    assert "-e ." in lines
    pinned = {x.split("==")[0].split("[")[0] for x in lines if "==" in x}  # streamlit[auth]: its extra
    assert {"streamlit", "pandas", "plotly", "duckdb", "pyarrow", "openpyxl"} <= pinned
