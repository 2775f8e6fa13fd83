"""Budget consumption per network head through a quarter, for the overview and the network head's page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from iaedash.calls import call_for_year
from iaedash.db import queries as q
from iaedash.db.connection import connect
from iaedash.domain.money import percent
from iaedash.domain.monitoring import elapsed_share
from iaedash.domain.staff import CostSummary, summarise_costs
from iaedash.filters import ALL_QUARTERS, Filters


@dataclass(frozen=True)
class Consumption:
    network_head: str
    name: str
    through_quarter: int
    planned_total: Decimal
    costs: CostSummary
    rate: Decimal | None  # total eligible cost / planned total, in %
    elapsed: Decimal  # share of the operation elapsed at the end of the quarter, in %
    ineligible_lines: int
    ineligibility_reasons: str | None


def consumption(db: Path, filters: Filters, through_quarter: int) -> list[Consumption]:
    """Cumulative consumption from T1 to `through_quarter`, whatever quarters the filter shows."""
    call = call_for_year(filters.year)
    params = replace(filters, quarters=tuple(q_ for q_ in ALL_QUARTERS if q_ <= through_quarter)).params()
    with connect(db, read_only=True) as con:
        heads = q.fetch_all(con, "conventions_of_year", params)
        sums = q.fetch_all(con, "staff_costs_by_quarter", params)
    declared: dict[str, Decimal] = defaultdict(Decimal)
    eligible: dict[str, Decimal] = defaultdict(Decimal)
    ineligible: dict[str, int] = defaultdict(int)
    reasons: dict[str, set[str]] = defaultdict(set)
    for head, _quarter, dec, elig, lines, why in sums:
        declared[head] += dec
        eligible[head] += elig
        ineligible[head] += lines
        if why:
            reasons[head].update(why.split(" ; "))
    elapsed = elapsed_share(call, through_quarter)
    out = []
    for head, name, *_rest in heads:
        planned_total = _rest[3]
        costs = summarise_costs(call, declared.get(head), eligible.get(head))
        out.append(
            Consumption(
                head,
                name,
                through_quarter,
                planned_total,
                costs,
                percent(costs.total_eligible_cost, planned_total),
                elapsed,
                ineligible[head],
                " ; ".join(sorted(reasons[head])) or None,
            )
        )
    return out
