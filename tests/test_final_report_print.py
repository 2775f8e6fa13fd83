"""The final-report documents as they print: LibreOffice opens them and prints them to PDF, poppler reads the PDF
back, word by word with its position.

What is checked is what a person sees on paper: every table row of the bilan pédagogique on one line (so no first
column squeezed to a syllable per line, no header broken), no word of either document split, the bilan
d'exécution's summary on one A4 page under its title, its money in euros, every sheet one page wide with its
header row on each page. Where LibreOffice or poppler is missing (tests/e2e/prepare.py installs them when it can)
these tests are skipped with the reason; under CI=true they fail instead.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from demo_truth import DEMO, budget, dec
from docx import Document as WordDocument
from openpyxl import load_workbook
from viewers import MANAGER

from iaedash.final_report.pack import final_report_pack
from iaedash.formatting import format_euros, format_number

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(os.environ.get("IAEDASH_TEST_OUTPUT") or ROOT / "test-output") / "print"
TODAY = date(2026, 11, 24)
# ISARR: no ineligible line; CHOPAL: the longest reason; FEIAL: enough staff lines for two printed pages.
HEADS = ["ISARR", "CHOPAL", "FEIAL"]
XHTML = "{http://www.w3.org/1999/xhtml}"
A4 = (595.3, 841.9)  # points
STAFF_SHEETS = ("personnel_eligible", "lignes_ineligibles")


def _prepare():
    """tests/e2e/prepare.py, which finds (and installs) the tools; not on the import path from here."""
    spec = importlib.util.spec_from_file_location("prepare_tools", ROOT / "tests" / "e2e" / "prepare.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the print tests must run here)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class Office:
    soffice: str
    poppler: Path  # the folder of pdftotext, pdfinfo and pdftoppm

    def run(self, tool: str, *args: str) -> str:
        command = [str(self.poppler / tool), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="session")
def office() -> Office:
    prepare = _prepare()
    soffice, pdftotext = prepare.soffice(), prepare.pdftotext()
    if soffice is None:
        _missing("LibreOffice absent: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
                 "(the README's test command does it when it can)")  # fmt: skip
    if pdftotext is None:
        _missing("poppler absent: apt-get install poppler-utils (the README's test command does it when it can)")
    return Office(soffice, Path(pdftotext).parent)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]

    def lines(self) -> list[list[Word]]:
        """Words side by side on the page (same top, give or take 2 pt), left to right: a table row printed on
        one line is one of these."""
        out: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.y0, w.x0)):
            if out and abs(out[-1][0].y0 - word.y0) <= 2:
                out[-1].append(word)
            else:
                out.append([word])
        return [sorted(line, key=lambda w: w.x0) for line in out]


def tokens(text: str) -> list[str]:
    """Words as pdftotext cuts them: at spaces, no-break spaces (« 1 234 », « 89 % ») included."""
    return text.split()


def line_tokens(line: list[Word]) -> list[str]:
    return [w.text for w in line]


@dataclass
class Printed:
    source: bytes
    pdf: Path
    pages: list[Page]
    seconds: float


def read_pdf(office: Office, pdf: Path) -> list[Page]:
    """Every word of the PDF with its box, page by page (pdftotext -bbox-layout)."""
    root = ET.fromstring(office.run("pdftotext", "-bbox-layout", str(pdf), "-"))
    pages = []
    for number, page in enumerate(root.iter(f"{XHTML}page"), start=1):
        words = tuple(
            Word(w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter(f"{XHTML}word")
        )
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), words))
    return pages


def page_sizes(office: Office, pdf: Path) -> list[tuple[float, float]]:
    """Each page's size as pdfinfo gives it (points)."""
    out = office.run("pdfinfo", "-f", "1", "-l", "999", str(pdf))
    sizes = [
        line.split(":", 1)[1].split("pts")[0].split(" x ")
        for line in out.splitlines()
        if line.startswith("Page") and " size:" in line  # « Page    2 size:  841.89 x 595.304 pts (A4) »
    ]
    return [(float(w), float(h)) for w, h in sizes]


def print_to_pdf(office: Office, source: Path, profile: Path) -> tuple[Path, float]:
    """LibreOffice headless prints the document as it would on paper; a private profile per test run, so that
    parallel runs (or a LibreOffice open on the desktop) do not clash."""
    started = time.monotonic()
    subprocess.run(
        [
            office.soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(source.parent),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice wrote no PDF for {source.name}"
    return pdf, time.monotonic() - started


@pytest.fixture(scope="module")
def printed(office: Office, demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """Both documents of each network head of HEADS, built as the page and the CLI build them, then printed;
    the first page of each, as a PNG, in test-output/print for a person to look at."""
    folder = tmp_path_factory.mktemp("print")
    profile = tmp_path_factory.mktemp("libreoffice-profile")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    out = {}
    for head in HEADS:
        for document in final_report_pack(demo_db_template, MANAGER, head, 2025, TODAY):
            source = folder / document.file_name
            source.write_bytes(document.data)
            pdf, seconds = print_to_pdf(office, source, profile)
            office.run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(pdf), str(OUTPUT / source.stem))
            out[document.file_name] = Printed(document.data, pdf, read_pdf(office, pdf), seconds)
    return out


def narrative(printed: dict[str, Printed], head: str) -> Printed:
    return printed[f"bilan_pedagogique_{head}_2025.docx"]


def execution(printed: dict[str, Printed], head: str) -> Printed:
    return printed[f"bilan_execution_{head}_2025.xlsx"]


def find_line(pages: list[Page], expected: list[str], start: tuple[int, int] = (0, 0)) -> tuple[int, int] | None:
    """(page index, line index) of the first printed line that holds exactly `expected`, from `start` on."""
    for p in range(start[0], len(pages)):
        for i, line in enumerate(pages[p].lines()):
            if (p, i) >= start and line_tokens(line) == expected:
                return p, i
    return None


def split_words(printed_words: list[str], document_words: set[str]) -> list[str]:
    """Printed words with a letter in them that the document does not hold: a word broken across two lines
    (« Accom », « pagne », « ments ») or cut by its column."""
    return sorted({w for w in printed_words if any(c.isalpha() for c in w) and w not in document_words})


# --- bilan pédagogique (.docx) ---


@pytest.mark.parametrize("head", HEADS)
def test_every_table_row_of_the_bilan_pedagogique_prints_on_one_line(printed, head: str):
    """Header and rows of all five tables (summary, one per orientation), each on one printed line: the short
    label whole in the first column, the header's words whole, and the figures beside them."""
    document = narrative(printed, head)
    tables = WordDocument(io.BytesIO(document.source)).tables
    assert len(tables) == 5
    where = (0, 0)
    for number, table in enumerate(tables, start=1):
        for row in table.rows:
            expected = [t for cell in row.cells for t in tokens(cell.text)]
            found = find_line(document.pages, expected, where)
            assert found is not None, (
                f"table {number}: the row {' | '.join(c.text for c in row.cells)!r} is not printed on one line; "
                f"printed near it: {nearby(document.pages, expected[0], where)}"
            )
            where = (found[0], found[1] + 1)


def nearby(pages: list[Page], first: str, start: tuple[int, int]) -> list[str]:
    """The printed lines that begin like the row looked for, to say what LibreOffice made of it."""
    return [
        " ".join(line_tokens(line))
        for p in range(start[0], len(pages))
        for line in pages[p].lines()
        if line and line[0].text == first
    ][:3]


@pytest.mark.parametrize("head", HEADS)
def test_no_word_of_the_bilan_pedagogique_is_split(printed, head: str):
    document = narrative(printed, head)
    word = WordDocument(io.BytesIO(document.source))
    held = {t for p in word.paragraphs for t in tokens(p.text)}
    held |= {t for table in word.tables for row in table.rows for cell in row.cells for t in tokens(cell.text)}
    printed_words = [w.text for page in document.pages for w in page.words]
    assert split_words(printed_words, held) == []


@pytest.mark.parametrize("head", HEADS)
def test_the_bilan_pedagogique_keeps_inside_a4_portrait_margins(office, printed, head: str):
    document = narrative(printed, head)
    assert all(abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1 for w, h in page_sizes(office, document.pdf))
    margin = 2 / 2.54 * 72  # 2 cm
    for page in document.pages:
        assert min(w.x0 for w in page.words) >= margin - 1
        assert max(w.x1 for w in page.words) <= page.width - margin + 1


@pytest.mark.parametrize("head", HEADS)
def test_the_summary_table_gives_the_short_labels_and_the_full_ones_under_it(printed, head: str):
    from iaedash.domain.reference import INDICATORS

    document = narrative(printed, head)
    lines = [" ".join(line_tokens(line)) for page in document.pages for line in page.lines()]
    text = " ".join(lines)
    for ind in INDICATORS:
        assert any(line.startswith(f"{ind.short} ") for line in lines), ind.short
        assert " ".join(tokens(ind.label)) in text, ind.label


# --- bilan d'exécution (.xlsx) ---


def shown(value: object, number_format: str) -> list[str]:
    """What a cell shows in French, as printed words: the test's own reading of its number format."""
    if value is None:
        return []
    if isinstance(value, str):
        return tokens(value)
    amount = Decimal(str(value))
    if "€" in number_format:
        return tokens(format_euros(amount))
    if "%" in number_format:
        return tokens(format_number(amount, 2) + " %")
    return [format(amount.normalize(), "f").replace(".", ",")]  # General


def table_rows(ws) -> list[tuple[int, list[str]]]:
    """(row number, printed words) of the rows of a sheet that hold a figure."""
    return [
        (row[0].row, [t for c in row for t in shown(c.value, c.number_format)])
        for row in ws.iter_rows()
        if any(isinstance(c.value, int | float) for c in row)
    ]


def workbook(document: Printed):
    return load_workbook(io.BytesIO(document.source))


def first_page_of_staff(pages: list[Page]) -> int:
    """Index of the first page of the staff sheets: the first whose header row begins with « Salarié »."""
    return next(i for i, page in enumerate(pages) for line in page.lines() if line[0].text == "Salarié")


@pytest.mark.parametrize("head", HEADS)
def test_the_summary_prints_on_one_page_under_its_title(printed, head: str):
    document = execution(printed, head)
    assert first_page_of_staff(document.pages) == 1, "the summary sheet does not fit one page"
    page = document.pages[0]
    conventions = (DEMO / "conventions_2025.csv").read_text(encoding="utf-8-sig").splitlines()
    name = next(line.split(";")[1] for line in conventions if line.startswith(f"{head};"))

    def top(expected: list[str]) -> float:
        found = [line[0].y0 for line in page.lines() if line_tokens(line)[: len(expected)] == expected]
        assert found, f"{' '.join(expected)!r} is not on the summary's page"
        return min(found)

    table = top(["Rubrique"])
    assert top(["Bilan", "d'exécution", "2025"]) < table
    assert top(["Tête", "de", "réseau", ":", *tokens(name), f"({head})"]) < table
    assert top(["Année", ":", "2025"]) < table
    assert top(["Chiffres", "au", "24/11/2026,"]) < table


@pytest.mark.parametrize("head", HEADS)
def test_the_summary_shows_the_money_in_euros(printed, head: str):
    """The total eligible cost computed from the demo files, printed « 101 430,00 € » beside its label; the
    cell stays a number."""
    document = execution(printed, head)
    conventions = (DEMO / "conventions_2025.csv").read_text(encoding="utf-8-sig").splitlines()
    columns = conventions[0].split(";")
    row = dict(zip(columns, next(r for r in conventions if r.startswith(f"{head};")).split(";"), strict=True))
    planned = dec(row["cout_personnel_prevu"]) * Decimal("1.4")
    realised = budget()[head]["cout_total_eligible"]
    label = ["Coût", "total", "éligible"]
    words = [*label, *(t for v in (planned, realised, realised - planned) for t in tokens(format_euros(v)))]
    assert find_line(document.pages[:1], words) is not None, nearby(document.pages, "Coût", (0, 0))
    cells = next(r for r in workbook(document)["synthese"].iter_rows() if r[0].value == "Coût total éligible")
    assert isinstance(cells[2].value, int | float) and "€" in cells[2].number_format


@pytest.mark.parametrize("head", HEADS)
def test_every_sheet_prints_one_page_wide_with_its_header_row_on_each_page(office, printed, head: str):
    """Every row of every sheet whole on one printed line (no column pushed to another page, no value cut or
    shown ###); on each page of a staff sheet its header row, from « Salarié » to « Ligne », above its rows."""
    document = execution(printed, head)
    book = workbook(document)
    sizes = page_sizes(office, document.pdf)
    assert all(sorted((w, h)) == pytest.approx(sorted(A4), abs=1) for w, h in sizes)
    assert sizes[0][0] > sizes[0][1], "the summary is not landscape"
    where = (0, 0)
    pages_of: dict[str, set[int]] = {}
    for ws in book:
        for number, expected in table_rows(ws):
            found = find_line(document.pages, expected, where)
            assert found is not None, (
                f"{ws.title}, row {number} ({' '.join(expected)}) is not printed whole on one line; printed "
                f"near it: {nearby(document.pages, expected[0], where)}"
            )
            where = (found[0], found[1] + 1)
            pages_of.setdefault(ws.title, set()).add(found[0])
            if ws.title in STAFF_SHEETS:
                page = document.pages[found[0]]
                headers = [line for line in page.lines() if line[0].text == "Salarié" and line[-1].text == "Ligne"]
                assert headers and headers[0][0].y0 < page.lines()[found[1]][0].y0, (
                    f"{ws.title}: page {found[0] + 1} has rows without the header row above them"
                )
                assert sizes[found[0]][0] > sizes[found[0]][1], f"{ws.title} is not landscape"
    assert len(pages_of["synthese"]) == 1
    if head == "FEIAL":  # the header row repeated is seen only where a sheet runs onto a second page
        assert len(pages_of["personnel_eligible"]) >= 2
    for page in document.pages:
        assert "###" not in " ".join(w.text for w in page.words)
        assert max(w.x1 for w in page.words) <= page.width - 18  # inside the right margin


@pytest.mark.parametrize("head", HEADS)
def test_no_word_of_the_bilan_d_execution_is_split_or_cut(printed, head: str):
    document = execution(printed, head)
    book = workbook(document)
    held = {t for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)
            for t in tokens(v)}  # fmt: skip
    for ws in book:
        for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right, ws.oddFooter.left,
                     ws.oddFooter.center, ws.oddFooter.right):  # fmt: skip
            held |= set(tokens((part.text or "").replace("&&", "&")))
    printed_words = [w.text for page in document.pages for w in page.words]
    assert split_words(printed_words, held) == []


def test_conversion_times_are_reasonable(printed):
    """LibreOffice's start and print, per document (the first includes the new profile): said, and bounded so a
    hung conversion is seen."""
    seconds = {name: round(p.seconds, 1) for name, p in printed.items()}
    print(f"\nLibreOffice PDF conversion, seconds: {seconds}")
    assert max(seconds.values()) < 120


# --- where LibreOffice is missing ---


def run_print_test(output: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """One print test in a child pytest, with no LibreOffice to be found."""
    command = [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"]
    command.append("tests/test_final_report_print.py::test_no_word_of_the_bilan_pedagogique_is_split[ISARR]")
    environment = {k: v for k, v in os.environ.items() if k != "CI"}  # the caller says whether this is CI
    environment.update(IAEDASH_SOFFICE="/nonexistent/soffice", IAEDASH_TEST_OUTPUT=str(output), **env)
    return subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)


def test_without_libreoffice_the_print_tests_are_skipped_with_the_reason(tmp_path: Path):
    result = run_print_test(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "LibreOffice absent: apt-get install libreoffice-writer-nogui" in result.stdout


def test_without_libreoffice_in_ci_the_print_tests_fail(tmp_path: Path):
    result = run_print_test(tmp_path, CI="true")
    assert result.returncode != 0
    assert "CI=true: the print tests must run here" in result.stdout
