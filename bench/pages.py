"""The app's pages, as app.py declares them (read from its source, never by running it)."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from iaedash.domain.access import Page

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
NAIVE_APP = ROOT / "bench" / "naive_app.py"
HEAVIEST = "indicateurs"  # the page the ten concurrent sessions open
PEER = "peer"  # the naive page's name in the results


@dataclass(frozen=True)
class AppPage:
    name: str  # the script's stem: pages/<name>.py
    title: str
    default: bool  # the page of the bare address (the local viewer's first page)

    @property
    def script(self) -> str:
        return f"pages/{self.name}.py"

    @property
    def url_path(self) -> str:
        return "" if self.default else self.name


def app_pages() -> list[AppPage]:
    """Every page of app.py's SCREENS, in its order; in local mode (no secrets) the viewer sees them all and
    the first is the default."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "SCREENS" for t in node.targets):
            screens = node.value
            break
    else:
        raise LookupError("SCREENS not found in app.py")
    out = []
    for key, value in zip(screens.keys, screens.values, strict=True):
        page = Page[key.attr]
        title = value.elts[0].value
        out.append(AppPage(page.value, title, default=not out))
    return out


def select(names: list[str] | None) -> list[AppPage]:
    """The pages named (script stems or titles, case-insensitive); all of them when none is."""
    pages = app_pages()
    if not names:
        return pages
    wanted = {n.strip().lower() for n in names if n.strip()}
    chosen = [p for p in pages if p.name.lower() in wanted or p.title.lower() in wanted]
    unknown = wanted - {p.name.lower() for p in chosen} - {p.title.lower() for p in chosen}
    if unknown:
        known = ", ".join(p.name for p in pages)
        raise SystemExit(f"unknown page(s): {', '.join(sorted(unknown))} (known: {known})")
    return chosen
