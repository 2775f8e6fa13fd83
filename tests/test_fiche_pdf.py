"""The fiche réseau as a PDF, read back as a person would: poppler's pdftotext page by page, pdfinfo for the page
count, pdftoppm for what a black-and-white printer makes of the charts.

Every expectation is computed from the demo files (tests/demo_truth.py). Where poppler is missing these tests are
skipped with the reason (tests/e2e/prepare.py installs it when it can); under CI=true they fail instead.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from demo_truth import (
    budget_through,
    indicator_values_received_by,
    last_received,
    staff_details,
    targets,
    totals,
)
from reportlab.graphics import renderPDF
from viewers import CABM, MANAGER, READER

from iaedash import review
from iaedash.cli import main
from iaedash.documents import fiche
from iaedash.documents.print_charts import quarters_by_orientation
from iaedash.domain.access import AccessDenied
from iaedash.domain.reference import INDICATORS, ORIENTATION_CODES
from iaedash.domain.review import MAX_TEXT
from iaedash.filters import Filters
from iaedash.formatting import format_euros, format_number

DAY = date(2026, 11, 24)  # the demo year is over: every quarter ended, T4 received
ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(os.environ.get("IAEDASH_TEST_OUTPUT") or ROOT / "test-output") / "fiche_pdf"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the PDF tests must run here)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def poppler() -> Path:
    """The folder of pdftotext, pdfinfo and pdftoppm."""
    found = shutil.which("pdftotext")
    if found is None or shutil.which("pdfinfo") is None or shutil.which("pdftoppm") is None:
        _missing("poppler absent: apt-get install poppler-utils (the README's test command does it when it can)")
    return Path(found).parent


def run(poppler: Path, tool: str, *args: str) -> str:
    return subprocess.run([str(poppler / tool), *args], check=True, capture_output=True, text=True, timeout=60).stdout


def plain(text: str) -> str:
    """pdftotext's text with every no-break space as a space (the PDF ties « 1 234 », « 82 % » with them)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def read_pages(poppler: Path, path: Path) -> list[str]:
    """The text of each page, laid out as on paper."""
    count = int(re.search(r"^Pages:\s+(\d+)$", run(poppler, "pdfinfo", str(path)), re.MULTILINE)[1])
    return [plain(run(poppler, "pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-")) for n in
            range(1, count + 1)]  # fmt: skip


def write(data: bytes, name: str) -> Path:
    """Kept under test-output/fiche_pdf/ for a person to open."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.write_bytes(data)
    return path


def share(achieved: int, target: int | None) -> str:
    """« 82 % »: achieved / target in %, to the hundredth then to the unit, half up (the pages' rounding)."""
    if target is None:
        return "pas d'objectif"
    hundredths = (Decimal(achieved) * 100 / Decimal(target)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{hundredths.quantize(Decimal(1), rounding=ROUND_HALF_UP)} %"


def indicator_row(text: str, unit: str) -> list[str]:
    """The figures of the indicators table's row whose unit is `unit`: the quarters, total, target, share (the
    table comes after « Le trimestre en bref », whose sentences name units too)."""
    text = text[text.index("Indicateurs de ") :]
    match = re.search(rf"^.*\s{unit}\s+(.+)$", text, re.MULTILINE)
    assert match, f"no row for {unit}"
    return re.split(r"\s{2,}", match[1].strip())


@pytest.mark.parametrize("head", ["FEIAL", "CETTI", "ISARR"])
def test_the_indicators_table_has_the_figures_of_the_files(demo_db: Path, poppler: Path, head: str):
    """Each quarter, the year's total, the annual target and the share reached, as the files and the convention
    give them (CETTI sends workbooks, the others CSV files)."""
    path = write(fiche.build(demo_db, MANAGER, head, Filters(2025), DAY), f"fiche_{head}.pdf")
    text = "\n".join(read_pages(poppler, path))
    first = text[text.index(f"Indicateurs de {head}") :]  # the table, after « Le trimestre en bref »
    done = totals({head})
    for ind in INDICATORS:
        quarters = [sum(v for (_h, q, _o, c), v in done.items() if c == ind.code and q == n) for n in (1, 2, 3, 4)]
        target = targets()[(head, ind.code)]
        expected = [*quarters, sum(quarters), target]
        row = [format_number(v) if v is not None else "–" for v in expected] + [share(sum(quarters), target)]
        assert indicator_row(first, ind.unit) == [plain(c) for c in row], ind.code


def test_every_page_says_the_network_head_the_filters_the_date_and_its_number(demo_db: Path, poppler: Path):
    """A page photocopied alone still says what it shows: whose fiche, which quarters and orientations, the date of
    the figures, that the data are the demo's, and « page N / M »."""
    path = write(fiche.build(demo_db, MANAGER, "FEIAL", Filters(2025), DAY), "fiche_FEIAL_toute_annee.pdf")
    pages = read_pages(poppler, path)
    assert len(pages) >= 3
    received = date.fromisoformat(last_received()).strftime("%d/%m/%Y")
    for number, text in enumerate(pages, start=1):
        assert "Fiche réseau FEIAL – Fédération des entreprises d'insertion Artois-Littoral (fictive)" in text
        assert f"Filtres : FEIAL · T1 à T4 2025 · toutes orientations · données au {received}" in text
        assert "Données de démonstration fictives" in text
        assert f"page {number} / {len(pages)}" in text


def test_a_fiche_of_the_past_says_its_day_and_its_filters_on_every_page(demo_db: Path, poppler: Path):
    """`au`, two quarters and two orientations: each page says them, the day as « état au »."""
    chosen = Filters(2025, quarters=(2, 3), orientations=("PRO", "MAR"), as_of=date(2025, 11, 3))
    path = write(fiche.build(demo_db, MANAGER, "CABM", chosen, date(2025, 11, 3)), "fiche_CABM_passe.pdf")
    pages = read_pages(poppler, path)
    received = date.fromisoformat(last_received("2025-11-03")).strftime("%d/%m/%Y")
    line = f"Filtres : CABM · T2 à T3 2025 · PRO, MAR · état au 03/11/2025 (dernier dépôt reçu le {received})"
    for number, text in enumerate(pages, start=1):
        assert line in text, number
        assert f"page {number} / {len(pages)}" in text
    # two quarters and two orientations only: the WEBI row has T2, T3, their total
    done = {k: v for k, v in indicator_values_received_by("2025-11-03").items() if k[0] == "CABM" and k[2] in
            ("PRO", "MAR") and k[3] == "WEBI"}  # fmt: skip
    quarters = [sum(v for k, v in done.items() if k[1] == q) for q in (2, 3)]
    assert indicator_row("\n".join(pages), "participants")[:3] == [format_number(v) for v in [*quarters, sum(quarters)]]


def test_before_feial_corrected_its_t2_the_fiche_shows_the_first_version(demo_db: Path, poppler: Path):
    """FEIAL's T2 arrived on 12/07/2025, corrected on 08/09/2025: the fiche of 07/09/2025 shows the first version's
    webinar participants, the one of 08/09/2025 the corrected ones, orientation by orientation."""
    before, after = (indicator_values_received_by(day) for day in ("2025-09-07", "2025-09-08"))

    def webinars(values: dict) -> dict[str, int]:
        return {o: sum(v for k, v in values.items() if k[:2] == ("FEIAL", 2) and k[2:4] == (o, "WEBI"))
                for o in ORIENTATION_CODES}  # fmt: skip

    first, corrected = webinars(before), webinars(after)
    assert all(corrected[o] - first[o] == 9 for o in ORIENTATION_CODES)  # the demo's correction, read from the files
    for day, expected in ((date(2025, 9, 7), first), (date(2025, 9, 8), corrected)):
        data = fiche.build(demo_db, MANAGER, "FEIAL", Filters(2025, as_of=day), day)
        pages = read_pages(poppler, write(data, f"fiche_FEIAL_{day}.pdf"))
        assert indicator_row("\n".join(pages), "participants")[1] == format_number(sum(expected.values())), day
        text = "\n".join(pages)
        block = text[text.index("Participants aux webinaires de FEIAL par trimestre") :]
        block = block[: block.index("Participations aux comités de FEIAL par trimestre")]
        for o in ORIENTATION_CODES:  # the table beside the chart: T1, T2, T3, T4, total of the orientation
            row = re.search(rf"\s{o}\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", block, re.MULTILINE)
            assert row and row[2] == format_number(expected[o]), (day, o)


@pytest.mark.parametrize("head", ["CABM", "CHOPAL", "FEIAL"])
def test_no_staff_line_in_the_fiche_budget_totals_only(demo_db: Path, poppler: Path, head: str):
    """Budget in totals, as the page: no employee identifier, no job title, no monthly cost of anyone — for a
    lecteur as for the Direction. The totals are there, equal to the hand computation."""
    staff = staff_details()
    assert staff["employees"] and staff["jobs"] and staff["costs"]
    for who in (READER, MANAGER):
        path = write(fiche.build(demo_db, who, head, Filters(2025), DAY), f"fiche_{head}_{who.role.value}.pdf")
        text = "\n".join(read_pages(poppler, path))
        assert [e for e in staff["employees"] if re.search(rf"\b{e}\b", text)] == []
        assert [j for j in staff["jobs"] if re.search(rf"\b{re.escape(j)}\b", text)] == []
        # a whole amount, not the end of a larger one (« 1 200,00 » is not in « 71 200,00 € »)
        assert [c for c in staff["costs"] if re.search(rf"(?<!\d)(?<!\d ){re.escape(c)}(?!\d)", text)] == []
        expected = budget_through(4)[head]
        assert re.search(rf"Coût total éligible\s+{re.escape(plain(format_euros(expected['total'])))}", text)
        assert re.search(rf"Coût total prévu\s+{re.escape(plain(format_euros(expected['planned_total'])))}", text)
        rate = plain(format_number(expected["consumption"], 1)) + " %"
        assert re.search(rf"Taux de consommation .*\s{re.escape(rate)}", text)


def test_a_network_head_s_account_gets_its_own_fiche_only(demo_db: Path):
    assert fiche.build(demo_db, CABM, "CABM", Filters(2025), DAY).startswith(b"%PDF-")
    with pytest.raises(AccessDenied):
        fiche.build(demo_db, CABM, "FEIAL", Filters(2025), DAY)


def test_the_thread_and_the_review_are_printed_and_a_fiche_of_the_past_leaves_out_what_came_later(
    demo_db: Path, poppler: Path
):
    """A comment (with a character the font lacks), a return with its reason; a fiche of 2025 has neither."""
    scope = review.Scope("ISARR", 2025, 2)
    review.add_comment(demo_db, MANAGER, scope, "Webinaires 👍 à détailler → T3", "WEBI", "PRO")
    review.act(demo_db, MANAGER, scope, review.ReviewAction.RETURN, "Ventilation par territoire manquante")
    text = "\n".join(read_pages(poppler, write(fiche.build(demo_db, MANAGER, "ISARR", Filters(2025), DAY), "t.pdf")))
    assert "Webinaires ? à détailler ->" in text  # the emoji the font lacks: « ? »
    assert "commentaire sur Participants aux" in text and "renvoyé pour correction (v1, personnel" in text
    assert "Ventilation par territoire" in text  # the reason, in the review table and in the thread
    assert re.search(r"T2\s+v1, personnel v1\s+à corriger", text)
    past = Filters(2025, as_of=date(2025, 12, 1))
    text = "\n".join(read_pages(poppler, write(fiche.build(demo_db, MANAGER, "ISARR", past, past.as_of), "p.pdf")))
    assert "Webinaires ?" not in text
    assert "Ventilation par territoire" not in text
    assert "Aucun commentaire ni acte de revue pour l'instant." in text


def test_a_long_thread_runs_over_pages_with_its_header_and_a_comment_as_long_as_allowed(demo_db: Path, poppler: Path):
    """Thirty comments and one of the longest allowed, a single word (a pasted link): the fiche is built, the
    thread's header row is repeated on each page it runs onto, and every page keeps its header and number."""
    scope = review.Scope("CABM", 2025, 3)
    review.add_comment(demo_db, MANAGER, scope, "W" * MAX_TEXT)
    for i in range(30):
        review.add_comment(demo_db, MANAGER, scope, f"Point {i} : à reprendre avec la tête de réseau. " * 3)
    pages = read_pages(poppler, write(fiche.build(demo_db, MANAGER, "CABM", Filters(2025), DAY), "fil_long.pdf"))
    first, last = (next(n for n, text in enumerate(pages) if f"Point {i} :" in text) for i in (0, 29))
    assert last > first
    for n in range(first, last + 1):
        assert re.search(r"Période\s+Le\s+Par\s+Quoi\s+Texte", pages[n]), f"page {n + 1}: no header row"
    assert all(f"page {n} / {len(pages)}" in text and "Filtres : CABM" in text for n, text in enumerate(pages, 1))


def test_a_fiche_before_any_quarter_says_what_is_not_there_yet(demo_db: Path, poppler: Path):
    """On 15/03/2025 CABM has its convention and nothing else: the fiche says so in words, no empty charts."""
    day = date(2025, 3, 15)
    assert last_received("2025-03-15") == "2025-03-10" and not any(
        k[0] == "CABM" for k in indicator_values_received_by("2025-03-15")
    )
    data = fiche.build(demo_db, READER, "CABM", Filters(2025, as_of=day), day)
    text = "\n".join(read_pages(poppler, write(data, "fiche_CABM_15-03-2025.pdf")))
    assert text.count("CABM n'a encore envoyé aucun dépôt d'indicateurs pour T1 à T4 2025 (état au 15/03/2025).") == 2
    assert "Aucun trimestre de la sélection n'est encore terminé" in text
    assert "par trimestre et orientation – T1 à T4 2025 (" not in text  # no chart title, so no chart


def test_the_quarter_in_words_is_printed_under_the_title(demo_db: Path, poppler: Path):
    """« Le trimestre en bref » of the page goes between the title and the indicators: ISARR's T3, when its
    one-off regional webinar made the participants jump (both quarters' figures computed from the demo files)."""
    chosen = Filters(2025, quarters=(1, 2, 3))
    first = read_pages(poppler, write(fiche.build(demo_db, READER, "ISARR", chosen, DAY), "isarr.pdf"))[0]
    webinars = {
        quarter: sum(v for (_h, q, _o, code), v in totals({"ISARR"}).items() if q == quarter and code == "WEBI")
        for quarter in (2, 3)
    }
    title, heading = first.index("Fiche réseau – "), first.index("Le trimestre en bref – ISARR, T3 2025")
    said = re.search(rf"{webinars[3]}\s+contre\s+{webinars[2]}", first)
    assert said is not None, first
    assert title < heading < said.start() < first.index("Indicateurs de ISARR")


def grey_image(poppler: Path, pdf: Path) -> list[bytes]:
    """The first page as a black-and-white printer sees it (pdftoppm -gray, 100 dpi): rows of grey bytes."""
    run(poppler, "pdftoppm", "-gray", "-r", "100", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix("")))
    [image] = pdf.parent.glob(f"{pdf.stem}*.pgm")
    data = image.read_bytes()
    width, height = (int(v) for v in re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data).groups())
    pixels = data[len(data) - width * height :]
    return [pixels[i * width : (i + 1) * width] for i in range(height)]


def test_orientations_print_as_four_distinct_greys_with_patterns(poppler: Path, tmp_path: Path):
    """What a black-and-white printer makes of the four orientations: one bar stacking the four, equally tall,
    rendered in grey by poppler. Found on the image (the widest run of dark columns, its top and bottom), each
    segment's average tone, patterns included, is at least 40 grey levels from every other's, and three of them
    carry a pattern (tones that vary), the fourth is plain."""
    frame = pd.DataFrame({"quarter": [1] * 4, "orientation": list(ORIENTATION_CODES), "value": [10] * 4})
    drawing = quarters_by_orientation(frame, (1,), ORIENTATION_CODES, "formations", width=300, height=500)
    renderPDF.drawToFile(drawing, str(tmp_path / "bar.pdf"))
    rows = grey_image(poppler, tmp_path / "bar.pdf")
    dark = [sum(row[x] < 250 for row in rows) for x in range(len(rows[0]))]
    bar = [x for x, count in enumerate(dark) if count > len(rows) / 3]  # gridlines and axis text are short
    left, right = min(bar), max(bar)
    assert right - left > 50 and len(bar) == right - left + 1, "one bar, in one piece"
    strip = range(left + 4, left + 16)  # inside the bar, left of the value labels (centred)
    filled = [y for y, row in enumerate(rows) if all(row[x] < 250 for x in strip)]
    runs: list[list[int]] = []  # the bar is the longest run of such rows (a gridline is one row)
    for y in filled:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    top, bottom = min(max(runs, key=len)), max(max(runs, key=len))
    tones, spreads = [], []
    for i in range(4):  # bottom-up: PRO, MAR, INT, DIV
        y1 = bottom - (bottom - top) * i / 4
        y0 = bottom - (bottom - top) * (i + 1) / 4
        values = [rows[y][x] for y in range(round(y0) + 4, round(y1) - 4) for x in strip]
        mean = sum(values) / len(values)
        tones.append(mean)
        spreads.append((sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5)
    assert all(abs(a - b) >= 40 for i, a in enumerate(tones) for b in tones[i + 1 :]), tones
    assert sum(s > 15 for s in spreads) == 3 and min(spreads) < 3, spreads


def test_the_fiche_is_built_in_a_few_seconds(demo_db: Path):
    """Built on click: the person waits for it. Measured here on the demo (the note says the figure)."""
    fiche.build(demo_db, MANAGER, "FEIAL", Filters(2025), DAY)  # fonts and modules loaded once
    started = time.perf_counter()
    fiche.build(demo_db, MANAGER, "FEIAL", Filters(2025), DAY)
    assert time.perf_counter() - started < 5


def test_cli_writes_the_fiche_and_refuses_an_unknown_year(demo_db: Path, tmp_path: Path, poppler: Path, capsys):
    out = tmp_path / "fiche.pdf"
    args = ["fiche", "--db", str(demo_db), "--reseau", "feial", "--annee", "2025", "--au", "2025-09-07"]
    assert main([*args, "--out", str(out)]) == 0
    assert f"fiche réseau écrite dans {out}" in capsys.readouterr().out
    pages = read_pages(poppler, out)
    assert all("état au 07/09/2025" in page for page in pages)
    first = sum(v for k, v in indicator_values_received_by("2025-09-07").items() if k[:2] == ("FEIAL", 2) and
                k[3] == "WEBI")  # fmt: skip
    assert indicator_row("\n".join(pages), "participants")[1] == format_number(first)
    assert main(["fiche", "--db", str(demo_db), "--reseau", "FEIAL", "--annee", "2024", "--out", str(out)]) == 1
    assert "aucune convention 2024 pour le réseau « FEIAL »" in capsys.readouterr().err


def test_cli_names_the_file_after_what_it_shows(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    args = ["fiche", "--db", str(demo_db), "--reseau", "CABM", "--annee", "2025", "--trimestre", "3"]
    assert main([*args, "--trimestre", "1", "--orientation", "DIV", "--au", "2025-11-03"]) == 0
    assert [p.name for p in tmp_path.glob("*.pdf")] == ["fiche_reseau_2025_T1+T3_CABM_au-2025-11-03.pdf"]
