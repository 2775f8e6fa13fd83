"""The figures behind « le trimestre en bref » of one network head: the quarter's indicators against the quarter
before and the same quarter a year earlier, the year so far against the annual targets, what each orientation
declared, the state of each quarter's submission and review, and the budget consumed against time elapsed.

Figures only, each with where it comes from (file, version, lines); which of them are worth a sentence is
decided by the domain rules (`domain.summary`, `domain.monitoring`) and said by `presenters.summary`. Every
figure is read through the existing reads, for the viewer, as the data stood on `filters.as_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd

from iaedash.calls import all_calls, call_for_year
from iaedash.domain.access import Viewer
from iaedash.domain.monitoring import SubmissionStatus, target_achievement
from iaedash.domain.reference import INDICATOR_CODES
from iaedash.domain.review import ReviewEvent, ReviewStatus
from iaedash.filters import Filters
from iaedash.reports import budget, common, overview
from iaedash.review import ScopeState, review_states

RECEIVED = {SubmissionStatus.ON_TIME, SubmissionStatus.LATE}


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    @property
    def previous(self) -> Quarter:
        """The quarter just before: T4 of the year before for a T1."""
        return Quarter(self.year - 1, 4) if self.quarter == 1 else Quarter(self.year, self.quarter - 1)

    @property
    def year_before(self) -> Quarter:
        return Quarter(self.year - 1, self.quarter)


@dataclass(frozen=True)
class QuarterValues:
    """The network head's indicator totals of one quarter (territories and the chosen orientations added up)."""

    period: Quarter
    received: bool  # its indicators had come in by the day of the summary
    values: Mapping[str, int]  # indicator → value; every indicator when received, none otherwise
    sources: Mapping[str, str]  # indicator → « fichier vN l. 2, 5 » (empty for a value no line gave)


@dataclass(frozen=True)
class OrientationValues:
    """What one orientation declared in the quarter, indicator by indicator."""

    orientation: str
    values: Mapping[str, int]
    sources: str  # every file, version and line behind them


@dataclass(frozen=True)
class TargetFigures:
    """One indicator of the year so far (T1 to the quarter) against the convention's annual target."""

    indicator: str
    achieved: int
    target: int | None  # None: « pas d'objectif »
    sources: str  # the quarters' files, versions and lines

    @property
    def share(self) -> Decimal | None:
        return target_achievement(self.achieved, self.target)


@dataclass(frozen=True)
class Receipt:
    """A quarter's submission (indicators and staff costs) and its review, as they stood on the day."""

    period: Quarter
    status: SubmissionStatus
    first_received_on: date | None
    due_date: date
    versions: int  # indicators versions received
    files: str | None  # the indicators files, oldest first
    staff_received: bool
    review: ReviewStatus
    last_act: ReviewEvent | None  # the act behind the review status (with its reason)


@dataclass(frozen=True)
class Convention:
    """The current convention the targets and the planned cost come from."""

    year: int
    file_name: str
    version: int
    received_on: date
    review: ReviewStatus
    last_act: ReviewEvent | None


@dataclass(frozen=True)
class BudgetFigures:
    """The convention's consumption from T1 to the quarter (the budget pages' figures and rules)."""

    total_eligible_cost: Decimal
    planned_total_cost: Decimal
    consumption: Decimal | None  # % of the planned total cost
    elapsed: Decimal  # % of the operation elapsed at the end of the quarter
    gap: Decimal | None  # consumption − elapsed, in points
    stands_out: bool  # domain.monitoring.consumption_stands_out
    staff_sources: str  # the staff files and versions counted, month by month order
    operation_start: date
    operation_end: date


@dataclass(frozen=True)
class QuarterSummary:
    """Everything « le trimestre en bref » may say about one network head's quarter."""

    network_head: str
    name: str
    period: Quarter  # the last quarter of the selection ended by `day`
    day: date  # statuses and time elapsed are judged on this day
    as_of: date | None  # the data as they stood on this day (None: everything received so far)
    orientations: tuple[str, ...]  # the orientations the indicator figures add up (the filter's)
    current: QuarterValues
    previous: QuarterValues | None  # the quarter just before; None when the network head has none
    year_before: QuarterValues | None  # the same quarter a year earlier; None when it has none
    by_orientation: tuple[OrientationValues, ...]  # the quarter's, for each chosen orientation
    targets: tuple[TargetFigures, ...]  # the six indicators, T1 to the quarter
    receipts: tuple[Receipt, ...]  # T1 to the quarter of the year
    convention: Convention
    budget: BudgetFigures | None


def quarter_summary(db: Path, viewer: Viewer, filters: Filters, network_head: str, day: date) -> QuarterSummary | None:
    """The figures of `network_head`'s last quarter of the selection ended by `day` (`overview.through_quarter`);
    None when no quarter of the selection has ended, or without a convention the viewer may see."""
    through = overview.through_quarter(filters, day)
    if through is None:
        return None
    mine = replace(filters, network_heads=(network_head,))
    conventions = common.conventions(db, viewer, mine)
    if conventions.empty:
        return None
    conv = conventions.iloc[0]
    period = Quarter(filters.year, through)
    year_so_far = common.indicator_sums(db, viewer, overview.replace_quarters(mine, through))
    the_quarter = common.indicator_sums(db, viewer, replace(mine, quarters=(through,)))
    states = review_states(db, viewer, filters.year, (network_head,), filters.as_of)
    receipts = _receipts(db, viewer, mine, day, states)
    this_year = {r.period: r for r in receipts}
    last_year = _last_year(db, viewer, mine, day, through)
    known = {**this_year, **last_year[0]}

    def values(at: Quarter) -> QuarterValues | None:
        receipt = known.get(at)
        if receipt is None:  # no convention that year: nothing to compare with
            return None
        frame = year_so_far.by_quarter if at.year == period.year else last_year[1]
        return _quarter_values(at, receipt.status in RECEIVED, frame[frame["quarter"] == at.quarter])

    current = values(period)
    assert current is not None  # the year has a convention: its quarters are all known
    return QuarterSummary(
        network_head=network_head,
        name=str(conv["name"]),
        period=period,
        day=day,
        as_of=filters.as_of,
        orientations=filters.orientations,
        current=current,
        previous=values(period.previous),
        year_before=values(period.year_before),
        by_orientation=_by_orientation(the_quarter.by_orientation, filters.orientations),
        targets=_targets(year_so_far.by_quarter, conv["targets"]),
        receipts=tuple(r for r in receipts if r.period.quarter <= through),
        convention=_convention(filters.year, conv, states),
        budget=_budget(db, viewer, mine, network_head, through, day),
    )


def _quarter_values(period: Quarter, received: bool, rows: pd.DataFrame) -> QuarterValues:
    if not received:
        return QuarterValues(period, False, {}, {})
    found = {r.indicator: (int(r.value), str(r.sources)) for r in rows.itertuples()}
    return QuarterValues(
        period,
        True,
        {code: found.get(code, (0, ""))[0] for code in INDICATOR_CODES},
        {code: found.get(code, (0, ""))[1] for code in INDICATOR_CODES},
    )


def _receipts(db: Path, viewer: Viewer, filters: Filters, day: date, states: list[ScopeState]) -> list[Receipt]:
    """Every quarter of the year: its status at `day` (overview.completeness) and its last review act."""
    acts = {s.scope.quarter: s.last for s in states if s.scope.quarter is not None}
    out = []
    for r in overview.completeness(db, viewer, filters, day).itertuples():
        out.append(
            Receipt(
                Quarter(filters.year, int(r.quarter)),
                SubmissionStatus(r.status),
                None if pd.isna(r.first_received_on) else r.first_received_on,
                r.due_date,
                int(r.versions),
                None if pd.isna(r.files) else str(r.files),
                int(r.staff_versions) > 0,
                ReviewStatus(r.review),
                acts.get(int(r.quarter)),
            )
        )
    return out


def _last_year(
    db: Path, viewer: Viewer, filters: Filters, day: date, through: int
) -> tuple[dict[Quarter, Receipt], pd.DataFrame]:
    """The year before, when there is one for this network head (a call, and its convention that year): the
    receipts of its quarters and the indicator totals of the two quarters a summary may compare with."""
    before = replace(filters, year=filters.year - 1, quarters=tuple(sorted({through, 4})))
    if before.year not in all_calls():  # no call that year: nothing can have been received
        return {}, pd.DataFrame()
    states = review_states(db, viewer, before.year, before.network_heads, before.as_of)
    receipts = {r.period: r for r in _receipts(db, viewer, before, day, states)}
    if not receipts:
        return {}, pd.DataFrame()
    return receipts, common.indicator_sums(db, viewer, before).by_quarter


def _by_orientation(frame: pd.DataFrame, orientations: tuple[str, ...]) -> tuple[OrientationValues, ...]:
    out = []
    for code in orientations:
        rows = frame[frame["orientation"] == code]
        found = dict(zip(rows["indicator"], rows["value"], strict=True))
        out.append(
            OrientationValues(code, {i: int(found.get(i, 0)) for i in INDICATOR_CODES}, merge_sources(rows["sources"]))
        )
    return tuple(out)


def merge_sources(texts: Iterable[str]) -> str:
    """Sources of `indicator_sums` (« fichier vN l. 2, 5 ; autre vM l. 3 ») joined into one: each file and
    version once, its lines merged in order."""
    lines: dict[str, set[int]] = {}
    for text in texts:
        for part in filter(None, str(text).split(" ; ")):
            where, _, numbers = part.rpartition(" l. ")
            lines.setdefault(where, set()).update(int(n) for n in numbers.split(", "))
    return " ; ".join(f"{where} l. {', '.join(str(n) for n in sorted(found))}" for where, found in lines.items())


def _targets(by_quarter: pd.DataFrame, targets: object) -> tuple[TargetFigures, ...]:
    set_targets = targets if isinstance(targets, dict) else {}
    out = []
    for code in INDICATOR_CODES:
        rows = by_quarter[by_quarter["indicator"] == code].sort_values("quarter")
        target = set_targets.get(code)
        out.append(
            TargetFigures(
                code,
                int(rows["value"].sum()),
                None if target is None or pd.isna(target) else int(target),
                merge_sources(rows["sources"]),
            )
        )
    return tuple(out)


def _convention(year: int, conv: pd.Series, states: list[ScopeState]) -> Convention:
    state = next((s for s in states if s.scope.quarter is None), None)
    return Convention(
        year,
        str(conv["file_name"]),
        int(conv["version"]),
        conv["received_on"],
        state.status if state else ReviewStatus.EXPECTED,
        state.last if state else None,
    )


def _budget(
    db: Path, viewer: Viewer, filters: Filters, network_head: str, through: int, day: date
) -> BudgetFigures | None:
    """Through `budget.network_head_budget`, which holds back staff lines from a viewer who may not see them:
    only sums and file names are kept here."""
    found = budget.network_head_budget(db, viewer, filters.year, network_head, through, day, filters.as_of)
    if found is None:
        return None
    s = found.summary
    call = call_for_year(filters.year)
    files: list[str] = []
    for month in sorted(found.convention.sources):
        for name in found.convention.sources[month].split(", "):
            if name not in files:
                files.append(name)
    return BudgetFigures(
        s.costs.total_eligible_cost,
        s.plan.planned_total_cost,
        s.consumption,
        s.elapsed,
        s.gap,
        s.stands_out,
        ", ".join(files),
        call.operation_start,
        call.operation_end,
    )
