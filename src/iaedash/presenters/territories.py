"""Territoires page frames and sentences: where the activity is, by territory and by area of the call."""

from __future__ import annotations

import pandas as pd

from iaedash.charts.palette import ELSEWHERE_COLOR, NOT_LOCATED_COLOR, area_colors
from iaedash.domain.reference import DEFAULT_TERRITORY, TERRITORIES
from iaedash.domain.territories import Area
from iaedash.formatting import format_number, format_percent
from iaedash.reports.territories import ELSEWHERE, WHOLE_DEPARTMENT

TERRITORY_NAMES = {t.code: t.label for t in TERRITORIES}
NOT_LOCATED = "Tout le Département (non localisé)"
ELSEWHERE_LABEL = "Autres territoires"
OVERALL = "Ensemble"  # every network head of the selection together, above them in the shares
DEP_MEANING = (
    "DEP (tout le Département) : activité déclarée pour l'ensemble du Pas-de-Calais, sans territoire. Elle n'est "
    "localisée nulle part : elle ne compte dans aucun territoire ni dans aucune zone."
)


def territory_label(code: str) -> str:
    """« Boulonnais », and for DEP « Tout le Département (non localisé) »."""
    return NOT_LOCATED if code == DEFAULT_TERRITORY else TERRITORY_NAMES[code]


def for_indicator(by_territory: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """network_head, territory, value, sources of one indicator (territory: the code)."""
    rows = by_territory[by_territory["indicator"] == indicator]
    return rows[["network_head", "territory", "value", "sources"]].reset_index(drop=True)


def located(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a territory (DEP left out: located nowhere)."""
    return frame[frame["territory"] != DEFAULT_TERRITORY].reset_index(drop=True)


def not_located_note(frame: pd.DataFrame, unit: str) -> str:
    """What the chart of located activity leaves out, said under its title: « hors DEP (tout le Département, sans
    territoire) : 289 formations, 92 % du total »."""
    total = int(frame["value"].sum())
    whole = int(frame.loc[frame["territory"] == DEFAULT_TERRITORY, "value"].sum())
    if not whole:
        return ""
    return (
        f"hors DEP (tout le Département, sans territoire) : {format_number(whole)} {unit}, "
        f"{format_percent(100 * whole / total, 0)} du total"
    )


def nothing_located(outside: str) -> str:
    """The sentence of a chart of located activity with nothing to draw, saying where the activity went."""
    sentence = "Aucune valeur localisée dans un territoire pour cette sélection."
    return f"{sentence} {outside[0].upper()}{outside[1:]}." if outside else sentence


def titled(title: str, *notes: str) -> str:
    """A chart's title with its notes (« les 11 têtes de réseaux les plus actives… », « hors DEP… ») under it, one
    line each: together they would run past the chart at 1280×720."""
    return title + "".join(f"<br><sup>{n}</sup>" for n in notes if n)


def territory_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The data of a territory chart, in French: code and name of each territory."""
    out = frame.copy()
    out.insert(2, "Nom du territoire", [territory_label(c) for c in out["territory"]])
    return out.rename(
        columns={
            "network_head": "Réseau",
            "territory": "Territoire",
            "value": "Valeur",
            "sources": "Sources (fichier, version, lignes)",
        }
    )


# --- areas of the call ---


def part_labels(areas: tuple[Area, ...]) -> dict[str, str]:
    """Part → its French label, in the order of the legend: the areas (the file's order), then the territories
    in no area, then the whole Département."""
    return {
        **{a.code: a.label for a in areas},
        ELSEWHERE: ELSEWHERE_LABEL,
        WHOLE_DEPARTMENT: NOT_LOCATED,
    }


def part_colors(areas: tuple[Area, ...]) -> dict[str, str]:
    """Part → its colour: each area's by its place in the file, a light grey for the territories in no area, a
    darker grey for the whole Département."""
    return {**area_colors([a.code for a in areas]), ELSEWHERE: ELSEWHERE_COLOR, WHOLE_DEPARTMENT: NOT_LOCATED_COLOR}


def parts_for_indicator(area_sums: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """network_head, part, value, sources of one indicator."""
    rows = area_sums[area_sums["indicator"] == indicator]
    return rows[["network_head", "part", "value", "sources"]].reset_index(drop=True)


def in_areas(parts: pd.DataFrame, areas: tuple[Area, ...]) -> pd.DataFrame:
    """network_head, area (its label), value, sources: the rows of an area only."""
    labels = {a.code: a.label for a in areas}
    rows = parts[parts["part"].isin(labels)].copy()
    rows["area"] = rows["part"].map(labels)
    return rows[["network_head", "area", "value", *(["sources"] if "sources" in rows else [])]].reset_index(drop=True)


def area_axis(areas: tuple[Area, ...]) -> dict[str, str]:
    """Area label → its label on a chart's axis, with the territories it holds under it."""
    return {a.label: f"{a.label}<br>({', '.join(TERRITORY_NAMES[t] for t in a.territories)})" for a in areas}


def shares(parts: pd.DataFrame, every: pd.DataFrame | None = None) -> pd.DataFrame:
    """row, part, value, share (in %): each part of each network head's activity over its total — its parts add
    up to it. With `every` (the parts of the whole selection, before any cut) and more than one network head,
    a first row « Ensemble » for all of them."""
    rows = parts[["network_head", "part", "value"]].rename(columns={"network_head": "row"})
    if every is not None and every["network_head"].nunique() > 1:
        overall = every.groupby("part", as_index=False)["value"].sum()
        overall["row"] = OVERALL
        rows = pd.concat([overall[["row", "part", "value"]], rows], ignore_index=True)
    rows = rows.groupby(["row", "part"], as_index=False, sort=False)["value"].sum()
    totals = rows.groupby("row")["value"].transform("sum")
    rows["share"] = [100 * v / t if t else 0.0 for v, t in zip(rows["value"], totals, strict=True)]
    return rows


def share_table(share_rows: pd.DataFrame, areas: tuple[Area, ...], unit: str) -> pd.DataFrame:
    """One row per network head (« Ensemble » first): each part's value and share, and the total — the table
    behind the shares chart and its CSV."""
    labels = part_labels(areas)
    order = list(dict.fromkeys(share_rows["row"]))
    values = share_rows.pivot_table(index="row", columns="part", values="value", aggfunc="sum").reindex(order)
    values = values.reindex(columns=list(labels)).fillna(0).astype(int)
    out = pd.DataFrame({"Réseau": order})
    totals = values.sum(axis=1)
    for part, label in labels.items():
        out[f"{label} ({unit})"] = list(values[part])
        out[f"{label} (part)"] = [
            format_percent(100 * v / t, 1) if t else "–" for v, t in zip(values[part], totals, strict=True)
        ]
    out[f"Total ({unit})"] = list(totals)
    return out


def area_legend(areas: tuple[Area, ...]) -> str:
    """One line per area: its name, the territories it holds and why the call follows it."""
    return "  \n".join(
        f"**{a.label}** ({', '.join(TERRITORY_NAMES[t] for t in a.territories)}) : {a.description}" for a in areas
    )
