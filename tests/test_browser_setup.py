"""Where no browser can be had, the browser tests say so: skipped with the reason, or failed under CI=true."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_browser_test(output: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """One browser test in a child pytest, with no Chromium to be found."""
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
    command.append("tests/e2e/test_browser_bilan_final.py::test_the_page_loads_and_offers_both_documents")
    environment = {k: v for k, v in os.environ.items() if k != "CI"}  # the caller says whether this is CI
    environment.update(IAEDASH_CHROMIUM="/nonexistent/chromium", IAEDASH_TEST_OUTPUT=str(output), **env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_without_chromium_the_browser_tests_are_skipped_with_the_reason(tmp_path: Path):
    result = run_browser_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "Chromium absent: apt-get install chromium" in result.stdout


def test_without_chromium_in_ci_the_browser_tests_fail(tmp_path: Path):
    result = run_browser_test(tmp_path, CI="true")
    assert result.returncode != 0
    assert "CI=true: the browser tests must run here" in result.stdout
