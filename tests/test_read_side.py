"""The read side's layering, checked on the source: rows are read by name (never `row[11]`), and the read
models say nothing in French (sentences and labels are the presenters')."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "iaedash"
READ_SIDE = [
    *sorted((SRC / "reports").glob("*.py")),
    *sorted((SRC / "presenters").glob("*.py")),
    *sorted((SRC / "exports").glob("*.py")),
    *sorted((SRC / "final_report").glob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
    SRC / "ui.py",
    SRC / "store.py",
    SRC / "review.py",
    SRC / "journal.py",
]
POSITIONAL = {"fetch_all", "fetch_one"}  # tuples: a column added to the query would shift the others
FRENCH = re.compile(r"[éèêëàâçùûôîïœ«»]", re.IGNORECASE)


def positional_reads(source: str) -> list[int]:
    """Lines that call a query runner returning tuples."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in POSITIONAL
    ]


def french_literals(source: str) -> list[str]:
    """String literals with French in them (docstrings aside)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        and FRENCH.search(node.value)
    ]  # fmt: skip


@pytest.mark.parametrize("path", READ_SIDE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_read_side_reads_rows_by_name(path: Path):
    assert positional_reads(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", sorted((SRC / "reports").glob("*.py")), ids=lambda p: p.name)
def test_read_models_say_nothing_in_french(path: Path):
    assert french_literals(path.read_text(encoding="utf-8")) == []


def test_both_checks_can_fail():
    sample = 'def f(con):\n    """Données."""\n    row = q.fetch_one(con, "x")\n    return f"{row[0]} réseaux"\n'
    assert positional_reads(sample) == [3]
    assert french_literals(sample) == [" réseaux"]
