"""« Le trimestre en bref »: the rules (which changes, targets and orientations are worth a sentence), the French
(figures → sentences, edge cases read right), and the sentences of real databases — the demo's single year, and
two years built by importing demo files relabelled 2024 through the real import path — whose numbers are computed
here from the files (demo_truth), never read back from the application."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from demo_truth import DEMO, _sheets, budget_through, manifest, targets, totals
from viewers import CABM, MANAGER, READER

from iaedash.domain.monitoring import SubmissionStatus, target_at_risk, target_reached
from iaedash.domain.reference import INDICATOR_CODES, ORIENTATION_CODES
from iaedash.domain.review import ReviewAction, ReviewEvent, ReviewStatus, Versions
from iaedash.domain.summary import Change, inactive_orientations, is_notable, notable_changes, without_activity
from iaedash.filters import Filters
from iaedash.ingest.load import IncomingFile, import_files
from iaedash.presenters.summary import (
    MAX_SENTENCES,
    as_markdown,
    figures_table,
    nothing_to_say,
    plural,
    sentences,
    units,
)
from iaedash.reports.summary import (
    BudgetFigures,
    Convention,
    OrientationValues,
    Quarter,
    QuarterSummary,
    QuarterValues,
    Receipt,
    TargetFigures,
    merge_sources,
    quarter_summary,
)
from iaedash.review import Scope, act

D = Decimal
TODAY = date(2026, 11, 24)
NBSP = "\u202f"
MINUS = "\u2212"


def pct(text: str) -> str:
    """« 25 % » with the narrow no-break space the app writes."""
    return text.replace(" %", f"{NBSP}%")


# --- the rules (pure) ---


@pytest.mark.parametrize(
    ("before", "after", "notable", "share"),
    [
        (8, 12, True, D("50.00")),
        (12, 15, True, D("25.00")),  # exactly a quarter, exactly 3: said
        (13, 16, False, D("23.08")),  # 3 units but less than a quarter
        (4, 6, False, D("50.00")),  # half again but 2 units: small counts are no news
        (0, 3, True, None),  # from nothing: no share (never « +∞ % »), said from 3 units
        (0, 2, False, None),
        (0, 0, False, None),
        (5, 0, True, D("-100.00")),
        (100, 75, True, D("-25.00")),
        (100, 80, False, D("-20.00")),
        (7, 7, False, D("0.00")),
    ],
)
def test_which_changes_are_notable(before, after, notable, share):
    change = Change("FORM", before, after)
    assert (is_notable(change), change.share) == (notable, share)


def test_notable_changes_come_largest_first_from_nothing_first():
    before = {"GOUV": 5, "FORM": 5, "JURI": 0, "VEIL": 3, "WEBI": 32, "COMI": 5}
    after = {"GOUV": 2, "FORM": 1, "JURI": 4, "VEIL": 2, "WEBI": 168, "COMI": 2}
    assert [(c.indicator, c.before, c.after) for c in notable_changes(before, after)] == [
        ("JURI", 0, 4),  # from nothing
        ("WEBI", 32, 168),  # +425 %
        ("FORM", 5, 1),  # −80 %
        ("GOUV", 5, 2),  # −60 %, 3 units: same as COMI, the indicators' order breaks the tie
        ("COMI", 5, 2),
    ]  # VEIL −33 % but 1 unit: not said


@pytest.mark.parametrize(
    ("values", "expected"),
    [({"FORM": 0, "WEBI": 0}, True), ({"FORM": 0, "WEBI": 1}, False), ({}, True)],
)
def test_without_activity(values, expected):
    assert without_activity(values) is expected


def test_inactive_orientations_keep_the_order_given():
    by_orientation = {"PRO": {"FORM": 2}, "MAR": {"FORM": 0, "WEBI": 0}, "INT": {"WEBI": 1}, "DIV": {"FORM": 0}}
    assert inactive_orientations(by_orientation) == ["MAR", "DIV"]


@pytest.mark.parametrize(
    ("share", "through", "at_risk"),
    [
        (D("49.99"), 3, True),
        (D("50.00"), 3, False),  # half reached with one quarter left is not « en danger »
        (None, 3, False),  # no target: never at risk
        (D("10"), 2, False),  # too early to judge
        (D("10"), 4, False),  # the year is over: missed, no longer at risk
    ],
)
def test_target_at_risk_is_the_home_page_rule(share, through, at_risk):
    assert target_at_risk(share, through) is at_risk


@pytest.mark.parametrize(("share", "reached"), [(D("100.00"), True), (D("99.99"), False), (None, False)])
def test_target_reached(share, reached):
    assert target_reached(share) is reached


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 formation"), (1, "1 formation"), (2, "2 formations"), (1234, f"1{NBSP}234 formations")],
)
def test_units_agree_with_their_number(count, expected):
    from iaedash.domain.reference import INDICATORS

    assert units(count, INDICATORS[1]) == expected
    assert plural(count, "jour", "jours") == ("jour" if count < 2 else "jours")


def test_merge_sources_gives_each_file_once_with_its_lines_in_order():
    texts = ["A.csv v1 l. 10", "A.csv v1 l. 9, 12", "B.xlsx[indicateurs] v2 l. 3", ""]
    assert merge_sources(texts) == "A.csv v1 l. 9, 10, 12 ; B.xlsx[indicateurs] v2 l. 3"


# --- the French: figures → sentences ---

ONES = dict.fromkeys(INDICATOR_CODES, 10)
AT = datetime(2025, 8, 12, 10, 5)


def values(period: Quarter, given: dict[str, int] | None, received: bool = True) -> QuarterValues:
    if not received:
        return QuarterValues(period, False, {}, {})
    full = {code: (given or {}).get(code, ONES[code]) for code in INDICATOR_CODES}
    return QuarterValues(period, True, full, {code: f"X_{period.year}_T{period.quarter}.csv v1 l. 2" for code in full})


def receipt(
    period: Quarter,
    status: SubmissionStatus = SubmissionStatus.ON_TIME,
    received: date | None = None,
    review: ReviewStatus = ReviewStatus.RECEIVED,
    reason: str | None = None,
    staff: bool = True,
) -> Receipt:
    end = {1: date(period.year, 3, 31), 2: date(period.year, 6, 30), 3: date(period.year, 9, 30)}.get(
        period.quarter, date(period.year, 12, 31)
    )
    due = end + timedelta(days=30)
    if received is None and status in (SubmissionStatus.ON_TIME, SubmissionStatus.LATE):
        received = due - timedelta(days=10)
    last = ReviewEvent(ReviewAction.RETURN, Versions(1, 1), "Dominique Leroy", AT, reason) if reason else None
    return Receipt(period, status, received, due, 1, f"X_{period.year}_T{period.quarter}.csv", staff, review, last)


def make(
    quarter: int = 2,
    current: dict[str, int] | None = None,
    *,
    received: bool = True,
    previous: dict[str, int] | None = None,
    previous_received: bool = True,
    no_previous: bool = False,
    year_before: dict[str, int] | None = None,
    year_before_received: bool = True,
    goals: dict[str, tuple[int, int | None]] | None = None,
    statuses: dict[int, SubmissionStatus] | None = None,
    returned: dict[int, str] | None = None,
    late_days: int | None = None,
    staff: bool = True,
    consumption: tuple[str, str] | None = None,
    inactive: tuple[str, ...] = (),
    orientations: tuple[str, ...] = ORIENTATION_CODES,
) -> QuarterSummary:
    """A summary from literal figures: every figure the sentences may use, nothing read from a database.

    Defaults: T2 2025, every indicator at 10 in every quarter (nothing notable), every quarter on time, no target
    set, no budget, no year before."""
    period = Quarter(2025, quarter)
    statuses = statuses or {}
    returned = returned or {}
    receipts = []
    for q in range(1, quarter + 1):
        status = statuses.get(q, SubmissionStatus.ON_TIME if (q != quarter or received) else SubmissionStatus.MISSING)
        r = receipt(
            Quarter(2025, q),
            status,
            review=ReviewStatus.RETURNED if q in returned else ReviewStatus.RECEIVED,
            reason=returned.get(q),
            staff=staff or q != quarter,
        )
        if q == quarter and late_days is not None:
            r = replace(r, status=SubmissionStatus.LATE, first_received_on=r.due_date + timedelta(days=late_days))
        receipts.append(r)
    prev = None if no_previous else values(period.previous, previous, previous_received)
    before = (
        None
        if year_before is None and year_before_received
        else values(period.year_before, year_before, year_before_received)
    )
    budget = None
    if consumption is not None:
        rate, elapsed = D(consumption[0]), D(consumption[1])
        budget = BudgetFigures(
            D("1000.00") * rate / 100,
            D("1000.00"),
            rate,
            elapsed,
            rate - elapsed,
            abs(rate - elapsed) > 20,
            "X_2025_T1_personnel.csv v1",
            date(2025, 1, 1),
            date(2025, 12, 31),
        )
    return QuarterSummary(
        network_head="CABM",
        name="Coordination (fictive)",
        period=period,
        day=TODAY,
        as_of=None,
        orientations=orientations,
        current=values(period, current, received),
        previous=prev,
        year_before=before,
        by_orientation=tuple(
            OrientationValues(o, dict.fromkeys(INDICATOR_CODES, 0 if o in inactive else 1), f"X.csv v1 l. {i}")
            for i, o in enumerate(orientations, start=2)
        ),
        targets=tuple(
            TargetFigures(code, (goals or {}).get(code, (0, None))[0], (goals or {}).get(code, (0, None))[1], "X l. 2")
            for code in INDICATOR_CODES
        ),
        receipts=tuple(receipts),
        convention=Convention(2025, "conventions_2025.csv", 1, date(2025, 3, 10), ReviewStatus.RECEIVED, None),
        budget=budget,
    )


def said(summary: QuarterSummary) -> list[str]:
    return [s.text for s in sentences(summary)]


NO_TARGETS_AT_T4 = "Aucun objectif annuel n'est fixé dans la convention 2025."


@pytest.mark.parametrize(
    ("summary", "expected"),
    [
        pytest.param(make(), [], id="nothing-to-say"),
        pytest.param(
            make(current={"FORM": 12, "WEBI": 160, "VEIL": 4}, previous={"FORM": 8, "WEBI": 30, "VEIL": 8}),
            [
                pct(
                    f"Par rapport au T1 2025 : hausse des participants aux webinaires (160 contre 30, +433 %) et des "
                    f"formations (12 contre 8, +50 %) ; baisse des publications et veilles (4 contre 8, {MINUS}50 %)."
                )
            ],
            id="rises-and-falls",
        ),
        pytest.param(
            make(current={"FORM": 5}, previous={"FORM": 0}),
            ["Par rapport au T1 2025 : hausse des formations (5 contre 0)."],
            id="from-zero-no-infinite-percent",
        ),
        pytest.param(
            make(current=dict.fromkeys(INDICATOR_CODES, 0), previous={"FORM": 8}),
            ["Aucune activité déclarée au T2 2025 : les six indicateurs sont à 0."],
            id="zero-everywhere-no-list-of-falls",
        ),
        pytest.param(
            make(current={"FORM": 20}, previous={"FORM": 8}, previous_received=False),
            [],
            id="previous-not-received-no-comparison",
        ),
        pytest.param(
            make(received=False, previous={"FORM": 8}),
            ["Le dépôt du T2 2025 n'a pas été reçu : il était attendu au plus tard le 30/07/2025."],
            id="quarter-missing-no-falls-to-zero",
        ),
        pytest.param(
            make(received=False, statuses={2: SubmissionStatus.NOT_DUE}),
            ["Le dépôt du T2 2025 n'est pas encore arrivé ; il est attendu au plus tard le 30/07/2025."],
            id="quarter-not-yet-due",
        ),
        pytest.param(
            make(quarter=1, current={"COMI": 11}, previous={"COMI": 7}),
            [
                pct(
                    "Par rapport au T4 2024 (trimestre précédent) : hausse des participations aux comités "
                    "(11 contre 7, +57 %)."
                )
            ],
            id="first-quarter-against-t4-of-the-year-before",
        ),
        pytest.param(make(quarter=1, current={"COMI": 11}, no_previous=True), [], id="first-quarter-no-year-before"),
        pytest.param(
            make(current={"GOUV": 4}, previous={"GOUV": 4}, year_before={"GOUV": 10}),
            [
                pct(
                    f"Par rapport au T2 2024 (même trimestre l'an dernier) : baisse des accompagnements gouvernance "
                    f"(4 contre 10, {MINUS}60 %)."
                )
            ],
            id="same-quarter-last-year",
        ),
        pytest.param(
            make(current={"GOUV": 4}, previous={"GOUV": 4}, year_before={"GOUV": 10}, year_before_received=False),
            [],
            id="year-before-missing",
        ),
        pytest.param(
            make(current={c: 5 for c in INDICATOR_CODES}),
            [
                pct(
                    f"Par rapport au T1 2025 : baisse des six indicateurs : accompagnements gouvernance (5 contre 10, "
                    f"{MINUS}50 %), formations (5 contre 10, {MINUS}50 %), interventions juridiques (5 contre 10, "
                    f"{MINUS}50 %), publications et veilles (5 contre 10, {MINUS}50 %), participants aux webinaires "
                    f"(5 contre 10, {MINUS}50 %) et participations aux comités (5 contre 10, {MINUS}50 %)."
                )
            ],
            id="all-six-the-same-way",
        ),
        pytest.param(
            make(quarter=3, goals={"FORM": (1, 61), "WEBI": (10, None), "GOUV": (30, 40)}),
            [pct("Objectif annuel en danger à un trimestre de la fin : formations à 2 % (1 formation sur 61).")],
            id="target-at-risk-singular",
        ),
        pytest.param(
            make(quarter=3, goals={"FORM": (13, 61), "COMI": (0, 21)}),
            [
                pct(
                    "Objectifs annuels en danger à un trimestre de la fin : formations à 21 % (13 formations sur 61) "
                    "et participations aux comités à 0 % (0 participation sur 21)."
                )
            ],
            id="targets-at-risk-plural",
        ),
        pytest.param(make(quarter=2, goals={"FORM": (1, 61)}), [], id="no-target-judged-before-t3"),
        pytest.param(make(quarter=4), [NO_TARGETS_AT_T4], id="no-target-at-all"),
        pytest.param(
            make(quarter=4, goals={"FORM": (61, 61), "GOUV": (50, 40)}),
            [
                "Objectifs annuels 2025 : les 2 objectifs fixés sont atteints ; pas d'objectif pour les interventions "
                "juridiques, les publications et veilles, les participants aux webinaires et les participations aux "
                "comités."
            ],
            id="targets-all-reached-and-pas-d-objectif",
        ),
        pytest.param(
            make(quarter=4, goals={c: (10, 10) for c in INDICATOR_CODES} | {"FORM": (19, 61), "WEBI": (5, None)}),
            [
                pct(
                    "Objectifs annuels 2025 : 4 atteints sur 5 ; non atteint : formations à 31 % (19 formations sur "
                    "61) ; pas d'objectif pour les participants aux webinaires."
                )
            ],
            id="target-missed-at-year-end",
        ),
        pytest.param(
            make(quarter=4, goals={"FORM": (1, 2)}),
            [
                pct(
                    "Objectifs annuels 2025 : 0 atteint sur 1 ; non atteint : formations à 50 % (1 formation sur 2) ; "
                    "pas d'objectif pour les accompagnements gouvernance, les interventions juridiques, les "
                    "publications et veilles, les participants aux webinaires et les participations aux comités."
                )
            ],
            id="one-target-set-and-missed",
        ),
        pytest.param(
            make(late_days=1),
            ["Le dépôt du T2 2025 est arrivé en retard : reçu le 31/07/2025, 1 jour après l'échéance du 30/07/2025."],
            id="late-one-day",
        ),
        pytest.param(
            make(late_days=21),
            ["Le dépôt du T2 2025 est arrivé en retard : reçu le 20/08/2025, 21 jours après l'échéance du 30/07/2025."],
            id="late-days",
        ),
        pytest.param(
            make(returned={1: "Valeurs WEBI à revoir"}),
            ["Le dépôt du T1 2025 a été renvoyé pour correction le 12/08/2025 : « Valeurs WEBI à revoir »."],
            id="returned-with-its-reason",
        ),
        pytest.param(
            make(quarter=3, statuses={1: SubmissionStatus.MISSING, 2: SubmissionStatus.MISSING}),
            [
                "Les dépôts des T1 et T2 2025 n'ont toujours pas été reçus (attendus au plus tard le 30/04/2025 et le "
                "30/07/2025)."
            ],
            id="earlier-quarters-still-missing",
        ),
        pytest.param(
            make(quarter=3, statuses={2: SubmissionStatus.MISSING}),
            ["Le dépôt du T2 2025 n'a toujours pas été reçu (attendu au plus tard le 30/07/2025)."],
            id="earlier-quarter-still-missing",
        ),
        pytest.param(
            make(consumption=("48.30", "49.59")),
            [
                pct(
                    "Budget consommé à 48,3 % du coût total prévu à la fin du T2 2025, pour 50 % de l'opération "
                    "écoulée."
                )
            ],
            id="consumption-in-step-with-time",
        ),
        pytest.param(
            make(consumption=("22.00", "49.59"), staff=False),
            [
                pct(
                    "Budget consommé à 22,0 % du coût total prévu à la fin du T2 2025, pour 50 % de l'opération "
                    "écoulée : 27,6 points de moins que le temps écoulé (dépenses de personnel du T2 2025 non reçues)."
                )
            ],
            id="consumption-behind-time-staff-missing",
        ),
        pytest.param(
            make(inactive=("DIV",)),
            [
                "Aucune activité déclarée au T2 2025 dans l'orientation DIV (diversification / développement "
                "d'activités)."
            ],
            id="one-orientation-without-activity",
        ),
        pytest.param(
            make(inactive=("MAR", "DIV")),
            [
                "Aucune activité déclarée au T2 2025 dans les orientations MAR (réponse aux marchés d'insertion et de "
                "qualification) et DIV (diversification / développement d'activités)."
            ],
            id="orientations-without-activity",
        ),
    ],
)
def test_figures_to_sentences(summary, expected):
    assert said(summary) == expected


def test_a_quarter_like_the_one_compared_says_nothing_and_the_page_says_so():
    summary = make(current={"FORM": 12, "WEBI": 12}, year_before={"FORM": 11})  # +20 %, and 2 units: not notable
    assert said(summary) == []
    assert nothing_to_say(summary) == "Rien de notable à signaler pour le T2 2025."


def test_the_most_important_come_first_and_no_more_than_eight():
    summary = make(
        quarter=3,
        current={"FORM": 20, "WEBI": 50},
        previous={"FORM": 8},
        year_before={"FORM": 2},
        goals={"FORM": (30, 100)},
        statuses={1: SubmissionStatus.MISSING},
        returned={2: "Personnel incomplet"},
        late_days=3,
        consumption=("20.00", "74.79"),
        inactive=("DIV",),
    )
    texts = said(summary)
    starts = [
        "Le dépôt du T2 2025 a été renvoyé",
        "Le dépôt du T1 2025 n'a toujours pas été reçu",
        "Le dépôt du T3 2025 est arrivé en retard",
        "Objectif annuel en danger",
        "Budget consommé à 20,0",  # stands out: before the activity
        "Par rapport au T2 2025 :",
        "Par rapport au T3 2024 (même trimestre l'an dernier)",
        "Aucune activité déclarée au T3 2025 dans l'orientation DIV",
    ]
    assert len(texts) == len(starts) == MAX_SENTENCES
    assert [t[: len(s)] for t, s in zip(texts, starts, strict=True)] == starts


def test_consumption_in_step_comes_last():
    texts = said(make(current={"FORM": 20}, consumption=("50.00", "49.59")))
    assert texts[0].startswith("Par rapport au T1 2025") and texts[-1].startswith("Budget consommé")


def test_each_sentence_states_its_figures_with_their_source():
    summary = make(
        quarter=3, current={"FORM": 12}, previous={"FORM": 8}, goals={"FORM": (13, 61)}, consumption=("48.30", "74.79")
    )
    found = {s.text[:20]: s for s in sentences(summary)}
    target = found["Objectif annuel en d"]
    assert [(f.label, f.value, f.period, f.source) for f in target.figures] == [
        ("Formations, cumul", "13", "T1 à T3 2025", "X l. 2"),
        ("Formations, objectif annuel", "61", "2025", "convention 2025 : conventions_2025.csv v1"),
    ]
    change = found["Par rapport au T2 20"]
    assert [(f.label, f.value, f.period, f.source) for f in change.figures] == [
        ("Formations", "12", "T3 2025", "X_2025_T3.csv v1 l. 2"),
        ("Formations", "8", "T2 2025", "X_2025_T2.csv v1 l. 2"),
    ]
    budget = found["Budget consommé à 48"]
    assert [(f.label, f.value, f.period) for f in budget.figures] == [
        ("Coût total éligible (forfait compris)", f"483,00{NBSP}€", "T1 à T3 2025"),
        ("Coût total prévu", f"1{NBSP}000,00{NBSP}€", "2025"),
        ("Taux de consommation", f"48,3{NBSP}%", "T1 à T3 2025"),
        ("Part de l'opération écoulée", f"75{NBSP}%", "au 30/09/2025"),
    ]
    table = figures_table(sentences(summary))
    assert list(table.columns) == ["Phrase", "Chiffre", "Valeur", "Période", "Source"]
    assert sorted(set(table["Phrase"])) == [1, 2, 3]


def test_a_reason_typed_by_a_reviewer_shows_as_typed_in_the_page_s_markdown():
    [sentence] = sentences(make(returned={1: "coût > prévu, voir [ici](x) $5 *urgent*"}))
    assert "« coût > prévu, voir [ici](x) $5 *urgent* »" in sentence.text  # the PDF prints it raw
    shown = as_markdown([sentence])
    assert shown.startswith("1. Le dépôt du T1 2025")
    for raw in ("[ici](x)", "*urgent*"):
        assert raw not in shown
    assert "\\[ici\\]\\(x\\) \\$5 \\*urgent\\*" in shown


# --- the demo database (a single year, 2025) ---


def quarter_totals(head: str, quarter: int) -> dict[str, int]:
    """indicator → the quarter's value of `head`, from the current demo files."""
    out = dict.fromkeys(INDICATOR_CODES, 0)
    for (h, q, _o, indicator), value in totals({head}, {quarter}).items():
        if h == head and q == quarter:
            out[indicator] += value
    return out


def share_text(before: int, after: int) -> str:
    """The change in %, rounded half-up to the unit, computed here: « +425 % », « −80 % »."""
    share = (D(after - before) * 100 / D(before)).quantize(D("1"), rounding=ROUND_HALF_UP)
    return f"+{share}{NBSP}%" if share > 0 else f"{MINUS}{-share}{NBSP}%"


def summary_of(db: Path, head: str, quarters: tuple[int, ...], viewer=READER, *, day=TODAY, as_of=None, year=2025):
    return quarter_summary(db, viewer, Filters(year, quarters=quarters, as_of=as_of), head, day)


def test_isarr_t3_the_one_off_webinar_and_the_training_target_at_risk(demo_db: Path):
    """ISARR's T3: 160 attendances at a regional webinar, trainings far below a target set too high."""
    t2, t3 = quarter_totals("ISARR", 2), quarter_totals("ISARR", 3)
    form = sum(quarter_totals("ISARR", q)["FORM"] for q in (1, 2, 3))
    goal = targets()[("ISARR", "FORM")]
    goal_share = (D(form) * 100 / D(goal)).quantize(D("1"), rounding=ROUND_HALF_UP)
    spent = budget_through(3)["ISARR"]["consumption"].quantize(D("0.1"), rounding=ROUND_HALF_UP)
    elapsed = (D(273) * 100 / D(365)).quantize(D("1"), rounding=ROUND_HALF_UP)  # 1 January to 30 September

    def item(code: str, name: str) -> str:
        return f"des {name} ({t3[code]} contre {t2[code]}, {share_text(t2[code], t3[code])})"

    expected = [
        f"Objectif annuel en danger à un trimestre de la fin : formations à {goal_share}{NBSP}% "
        f"({form} formations sur {goal}).",
        f"Par rapport au T2 2025 : hausse {item('WEBI', 'participants aux webinaires')} ; baisse "
        f"{item('FORM', 'formations')}, {item('GOUV', 'accompagnements gouvernance')} et "
        f"{item('COMI', 'participations aux comités')}.",
        f"Budget consommé à {str(spent).replace('.', ',')}{NBSP}% du coût total prévu à la fin du T3 2025, pour "
        f"{elapsed}{NBSP}% de l'opération écoulée.",
    ]
    summary = summary_of(demo_db, "ISARR", (1, 2, 3))
    assert said(summary) == expected
    assert t3["WEBI"] >= 160  # the one-off webinar is in the quarter's figure
    webi = next(f for f in sentences(summary)[1].figures if f.label == "Participants aux webinaires")
    assert (webi.value, webi.period) == (str(t3["WEBI"]), "T3 2025")
    assert webi.source.startswith("ISARR_2025_T3_indicateurs.csv v1 l. ")
    assert summary.year_before is None  # a single year: the same quarter last year is never said


def feial_t2_first_version() -> dict[str, int]:
    """FEIAL's T2 as first sent (before its correction), read from that very file."""
    [rows] = _sheets(DEMO / "FEIAL_2025_T2_indicateurs.csv").values()
    out = dict.fromkeys(INDICATOR_CODES, 0)
    for row in rows:
        out[row["indicateur"]] += int(row["valeur"])
    return out


def test_feial_t2_is_told_from_its_corrected_version_and_from_the_first_one_in_the_past(demo_db: Path):
    t1, t2, first = quarter_totals("FEIAL", 1), quarter_totals("FEIAL", 2), feial_t2_first_version()
    assert first["WEBI"] < t2["WEBI"]  # the first version forgot June's webinars
    now = summary_of(demo_db, "FEIAL", (1, 2))
    then = summary_of(demo_db, "FEIAL", (1, 2), day=date(2025, 8, 1), as_of=date(2025, 8, 1))
    for summary, t2_seen, file in (
        (now, t2, "FEIAL_2025_T2_indicateurs_corrige.csv v2"),
        (then, first, "FEIAL_2025_T2_indicateurs.csv v1"),
    ):
        assert summary.current.values == t2_seen
        change = next(s for s in sentences(summary) if s.text.startswith("Par rapport au T1 2025"))
        shown = {f.period: f for f in change.figures}
        assert shown["T2 2025"].source.startswith(file)
        webi = (
            f"des participants aux webinaires ({t2_seen['WEBI']} contre {t1['WEBI']}, "
            f"{share_text(t1['WEBI'], t2_seen['WEBI'])})"
        )
        notable = abs(t2_seen["WEBI"] - t1["WEBI"]) >= 3 and abs(t2_seen["WEBI"] - t1["WEBI"]) * 4 >= t1["WEBI"]
        assert (webi in change.text) is notable
    assert webi in change.text  # the first version's webinars fell by more than a quarter: said in the past only


def test_cetti_t4_late_and_urqll_without_a_webinar_target(demo_db: Path):
    received = {p.name: d for p, d in manifest()}["CETTI_2025_T4.xlsx"]
    due = date(2025, 12, 31) + timedelta(days=30)
    days = (date.fromisoformat(received) - due).days
    texts = said(summary_of(demo_db, "CETTI", (1, 2, 3, 4)))
    assert texts[0] == (
        f"Le dépôt du T4 2025 est arrivé en retard : reçu le {date.fromisoformat(received):%d/%m/%Y}, {days} jours "
        f"après l'échéance du {due:%d/%m/%Y}."
    )
    assert targets()[("URQLL", "WEBI")] is None
    urqll = said(summary_of(demo_db, "URQLL", (1, 2, 3, 4)))
    [goals] = [t for t in urqll if t.startswith("Objectifs annuels 2025")]
    assert goals.endswith("; pas d'objectif pour les participants aux webinaires.")
    assert "0 %" not in goals.replace(NBSP, " ")


def test_a_returned_quarter_is_said_with_its_reason_and_a_correction_clears_it(demo_db: Path):
    act(demo_db, MANAGER, Scope("CABM", 2025, 2), ReviewAction.RETURN, "Personnel de juin manquant")
    texts = said(summary_of(demo_db, "CABM", (1, 2, 3)))
    [returned] = [t for t in texts if "renvoyé" in t]
    assert returned.startswith("Le dépôt du T2 2025 a été renvoyé pour correction le ")
    assert returned.endswith(" : « Personnel de juin manquant ».")


def test_a_quarter_ended_but_not_yet_received_in_the_past(demo_db: Path):
    """Time travel: on 14 October 2025, ISARR's T3 (received on the 18th) had not come in yet."""
    day = date(2025, 10, 14)
    summary = summary_of(demo_db, "ISARR", (1, 2, 3), day=day, as_of=day)
    texts = said(summary)
    assert texts[0] == "Le dépôt du T3 2025 n'est pas encore arrivé ; il est attendu au plus tard le 30/10/2025."
    assert not [t for t in texts if t.startswith("Par rapport") or t.startswith("Aucune activité")]


def test_the_viewer_s_restriction_holds(demo_db: Path):
    assert summary_of(demo_db, "ISARR", (1, 2, 3), viewer=CABM) is None
    assert summary_of(demo_db, "CABM", (1, 2, 3), viewer=CABM) is not None


def test_no_quarter_ended_yet_gives_nothing(demo_db: Path):
    assert summary_of(demo_db, "ISARR", (1, 2), day=date(2025, 3, 20), as_of=date(2025, 3, 20)) is None


# --- two years: demo files relabelled 2024, imported through the real import path ---

TAKEN_ON = date(2026, 6, 1)  # the day the 2024 figures are taken over (reprise), long after they were due
DOUBLED_T1 = ("FORM", "WEBI")  # in the 2024 copy, T1 of these indicators is twice 2025's


def _csv(path: Path) -> tuple[list[str], list[list[str]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    sep = ";" if ";" in text.splitlines()[0] else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=sep) if r]
    return rows[0], rows[1:]


def _file(name: str, header: list[str], rows: list[list[str]]) -> IncomingFile:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    return IncomingFile(name, out.getvalue().encode("utf-8"))


def relabelled_2024(head: str, quarters: tuple[int, ...]) -> tuple[list[IncomingFile], dict[tuple[int, str], int]]:
    """`head`'s 2025 convention and indicators files as 2024's (T1 doubled for DOUBLED_T1), and their totals."""
    header, rows = _csv(DEMO / "conventions_2025.csv")
    [row] = [r for r in rows if r[0] == head]
    row = [cell.replace("2025", "2024") if "/" in cell or cell == "2025" else cell for cell in row]
    files = [_file(f"conventions_{head}_2024.csv", header, [row])]
    sums: dict[tuple[int, str], int] = {}
    for quarter in quarters:
        header, rows = _csv(DEMO / f"{head}_2025_T{quarter}_indicateurs.csv")
        year, value, indicator = header.index("annee"), header.index("valeur"), header.index("indicateur")
        for r in rows:
            r[year] = "2024"
            if quarter == 1 and r[indicator] in DOUBLED_T1:
                r[value] = str(2 * int(r[value]))
            sums[(quarter, r[indicator])] = sums.get((quarter, r[indicator]), 0) + int(r[value])
        files.append(_file(f"{head}_2024_T{quarter}_indicateurs.csv", header, rows))
    return files, sums


@pytest.fixture
def two_years(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict]:
    """The demo database with CABM's 2024 (T1, T3, T4 — T2 never sent) taken over on TAKEN_ON, under a 2024 call
    written beside the 2025 one in a calls folder of the test's own."""
    calls = tmp_path / "appels"
    calls.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "appels" / "2025.toml", calls)
    text = (calls / "2025.toml").read_text(encoding="utf-8")
    (calls / "2024.toml").write_text(text.replace("2025", "2024").replace("2026", "2025"), encoding="utf-8")
    monkeypatch.setenv("IAEDASH_CALLS_DIR", str(calls))
    files, sums = relabelled_2024("CABM", (1, 3, 4))
    outcomes = import_files(demo_db, files, TAKEN_ON, viewer=MANAGER)
    assert [o.status for o in outcomes] == ["accepted"] * len(files), [str(p) for o in outcomes for p in o.problems]
    return demo_db, sums


def test_a_first_quarter_against_t4_of_the_year_before_and_the_same_quarter_last_year(two_years):
    db, last_year = two_years
    t1 = quarter_totals("CABM", 1)

    def items(before: dict[str, int], codes: list[str]) -> str:
        return _and([f"des {NAMES[c]} ({t1[c]} contre {before[c]}, {share_text(before[c], t1[c])})" for c in codes])

    t4_2024 = {c: last_year[(4, c)] for c in INDICATOR_CODES}
    t1_2024 = {c: last_year[(1, c)] for c in INDICATOR_CODES}
    assert t4_2024 == quarter_totals("CABM", 4)  # the 2024 copy of T4 is 2025's T4
    summary = summary_of(db, "CABM", (1,))
    texts = said(summary)
    previous = [c for c in INDICATOR_CODES if notable(t4_2024[c], t1[c])]
    year_before = [c for c in INDICATOR_CODES if notable(t1_2024[c], t1[c])]
    assert set(year_before) == set(DOUBLED_T1)  # what the copy changed, and nothing else
    assert f"Par rapport au T4 2024 (trimestre précédent) : {_side(t4_2024, t1, previous, items)}." in texts
    assert f"Par rapport au T1 2024 (même trimestre l'an dernier) : {_side(t1_2024, t1, year_before, items)}." in texts
    shown = {(f.label, f.period): f for s in sentences(summary) for f in s.figures}
    assert shown[("Formations", "T1 2024")].source.startswith("CABM_2024_T1_indicateurs.csv v1 l. ")


NAMES = {
    "GOUV": "accompagnements gouvernance",
    "FORM": "formations",
    "JURI": "interventions juridiques",
    "VEIL": "publications et veilles",
    "WEBI": "participants aux webinaires",
    "COMI": "participations aux comités",
}


def notable(before: int, after: int) -> bool:
    """Written out here from the README's rule: at least 3 units, and a quarter of the earlier value unless it was 0."""
    return abs(after - before) >= 3 and (before == 0 or abs(after - before) * 4 >= before)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} et {items[-1]}"


def _side(before: dict[str, int], after: dict[str, int], codes: list[str], items) -> str:
    """« hausse … ; baisse … », each side largest change first (from 0 first, then by share, then by units)."""

    def size(c: str) -> tuple:
        if before[c] == 0:
            return (0, 0, 0)
        return (1, -abs(D(after[c] - before[c]) / before[c]), -abs(after[c] - before[c]))

    rises = sorted((c for c in codes if after[c] > before[c]), key=lambda c: (size(c), INDICATOR_CODES.index(c)))
    falls = sorted((c for c in codes if after[c] < before[c]), key=lambda c: (size(c), INDICATOR_CODES.index(c)))
    parts = [f"hausse {items(before, rises)}"] if rises else []
    return " ; ".join(parts + ([f"baisse {items(before, falls)}"] if falls else []))


def test_a_quarter_not_received_last_year_is_not_compared(two_years):
    db, _ = two_years
    summary = summary_of(db, "CABM", (1, 2))
    assert summary.year_before is not None and not summary.year_before.received  # T2 2024 never sent
    assert not [t for t in said(summary) if "l'an dernier" in t]
    assert [t for t in said(summary) if t.startswith("Par rapport au T1 2025")]


def test_a_network_head_without_a_convention_last_year_has_nothing_to_compare(two_years):
    db, _ = two_years
    summary = summary_of(db, "ISARR", (1,))
    assert (summary.previous, summary.year_before) == (None, None)
    assert not [t for t in said(summary) if t.startswith("Par rapport")]


def test_time_travel_carries_over_to_last_year(two_years):
    """Before the 2024 figures were taken over, there was no 2024 to compare with."""
    db, _ = two_years
    day = TAKEN_ON - timedelta(days=1)
    summary = summary_of(db, "CABM", (1,), day=day, as_of=day)
    assert (summary.previous, summary.year_before) == (None, None)
    assert summary_of(db, "CABM", (1,)).year_before is not None


def test_last_year_s_own_summary_says_its_missing_quarter(two_years):
    db, _ = two_years
    t2 = said(summary_of(db, "CABM", (1, 2), year=2024))
    assert t2[0] == "Le dépôt du T2 2024 n'a pas été reçu : il était attendu au plus tard le 30/07/2024."
    t3 = said(summary_of(db, "CABM", (1, 2, 3), year=2024))
    assert "Le dépôt du T2 2024 n'a toujours pas été reçu (attendu au plus tard le 30/07/2024)." in t3
    assert not [t for t in t3 if t.startswith("Par rapport au T2 2024")]  # never a fall from a quarter not received
