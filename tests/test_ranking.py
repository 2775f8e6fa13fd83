"""Crowded charts: beyond 12 network heads, the first 11 and « autres » (every value still counted), or the
first 12 ranked; the title says so. The demo's 6 network heads are shown as they are."""

from __future__ import annotations

import pandas as pd

from iaedash.charts.indicators import quarterly_evolution
from iaedash.presenters.ranking import OTHERS, keep_top, rank_top


def evolution(heads: int) -> pd.DataFrame:
    rows = [(f"R{h:04d}", q, h * 10 + q) for h in range(1, heads + 1) for q in (1, 2, 3, 4)]
    return pd.DataFrame(rows, columns=["network_head", "quarter", "value"])


def test_up_to_twelve_network_heads_are_drawn_as_they_are():
    frame = evolution(12)
    shown = keep_top(frame, by=["quarter"])
    assert shown.note == "" and shown.frame is frame
    assert shown.title("Formations") == "Formations"


def test_beyond_twelve_the_first_eleven_and_the_others_added_up():
    frame = evolution(100)
    shown = keep_top(frame, by=["quarter"])
    kept = shown.frame
    first = [f"R{h:04d}" for h in range(100, 89, -1)]  # the largest values: R0100 … R0090
    assert sorted(set(kept["network_head"]) - {OTHERS}) == sorted(first)
    others = kept[kept["network_head"] == OTHERS].set_index("quarter")["value"]
    assert {q: others[q] for q in (1, 2, 3, 4)} == {q: sum(h * 10 + q for h in range(1, 90)) for q in (1, 2, 3, 4)}
    assert kept.groupby("quarter")["value"].sum().equals(frame.groupby("quarter")["value"].sum())  # nothing lost
    assert "11 têtes de réseaux les plus actives, les 89 autres regroupées" in shown.note
    figure = quarterly_evolution(kept, shown.title("Formations par trimestre – T1 à T4 2025"), "formations", {})
    assert len(figure.data) == 12 and "les 89 autres" in figure.layout.title.text


def test_a_ranked_view_keeps_the_first_twelve_rows():
    frame = pd.DataFrame({"network_head": [f"R{h:04d}" for h in range(30)], "achieved": list(range(30))})
    ranked = rank_top(frame, value="achieved")
    assert list(ranked.frame["achieved"]) == list(range(29, 17, -1))
    assert ranked.note == "les 12 premières têtes de réseaux sur 30, classées"


def test_beyond_a_hundred_others_the_first_twelve_alone_and_the_count_in_french():
    """5,000 network heads: « autres » would add up 4,989 of them and flatten every bar beside it."""
    frame = evolution(5000)
    shown = keep_top(frame, by=["quarter"])
    assert sorted(set(shown.frame["network_head"])) == sorted(f"R{h:04d}" for h in range(4989, 5001))
    assert OTHERS not in set(shown.frame["network_head"])
    spaces = shown.note.replace("\u202f", " ").replace("\u00a0", " ")  # French thousands separators
    assert spaces == "les 12 têtes de réseaux les plus actives sur 5 000 ; les 4 988 autres ne sont pas dessinées"
    assert keep_top(evolution(111), by=["quarter"]).frame["network_head"].eq(OTHERS).any()  # 100 others: added up
