"""The demo data: deterministic, credible, and with the situations the pages must show."""

from __future__ import annotations

from pathlib import Path

from demo_truth import DEMO, budget, manifest

from iaedash.demo import NETWORK_HEADS, generate


def test_generation_is_deterministic_and_matches_the_committed_files(tmp_path: Path):
    generate(tmp_path)
    for path in sorted(tmp_path.glob("*.csv")):
        assert path.read_bytes() == (DEMO / path.name).read_bytes(), path.name
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in DEMO.iterdir())


def test_six_fictitious_network_heads_with_credible_budgets():
    assert len(NETWORK_HEADS) == 6
    assert all("fictif" in h.name or "fictive" in h.name for h in NETWORK_HEADS)
    for head, figures in budget().items():
        planned_staff = figures["cout_total_prevu"] / 14 * 10
        assert 60_000 <= planned_staff <= 250_000, head
        assert 2 <= len(next(h for h in NETWORK_HEADS if h.code == head).staff) <= 6


def test_one_network_head_sent_its_fourth_quarter_late():
    late = [(p.name, received) for p, received in manifest() if "_T4" in p.name and received > "2026-01-30"]
    assert [name.split("_")[0] for name, _ in late] == ["CETTI"]
