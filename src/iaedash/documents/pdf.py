"""The house style of the PDF documents: A4 portrait, one embedded font, tables that read in black and white,
and on every page a header saying what the document shows (filters, date of the figures, demo data) and a footer
with « page 2 / 5 ».

ReportLab draws everything (text, tables, charts) as vectors in pure Python: no browser and no system library on
the server. The font is Bitstream Vera Sans, shipped inside ReportLab's own wheel, so every machine draws the same
glyphs; it is embedded (subset) in each PDF, so every reader shows them.
"""

from __future__ import annotations

import io
import math
import numbers
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from iaedash.formatting import format_number

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 24 * mm  # room for the two header lines above the text
MARGIN_BOTTOM = 16 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

FONT, BOLD, ITALIC, BOLD_ITALIC = "IaeSans", "IaeSans-Bold", "IaeSans-Italic", "IaeSans-BoldItalic"
_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"
_FONT_FILES = {FONT: "Vera.ttf", BOLD: "VeraBd.ttf", ITALIC: "VeraIt.ttf", BOLD_ITALIC: "VeraBI.ttf"}


def _register_fonts() -> frozenset[int]:
    """Register the four faces once per process; returns the code points every face can draw."""
    covered: frozenset[int] | None = None
    for name, file in _FONT_FILES.items():
        font = TTFont(name, str(_FONT_DIR / file))
        pdfmetrics.registerFont(font)
        points = frozenset(font.face.charToGlyph)
        covered = points if covered is None else covered & points
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return covered or frozenset()


_COVERED = _register_fonts()

# What the font lacks, written with what it has: the formatters' narrow no-break space (thousands, « % », « € »)
# becomes a no-break space, which keeps a number whole on one line just the same.
_SUBSTITUTES = {"\u202f": "\u00a0", "\u2009": " ", "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">="}


def printable(text: object) -> str:
    """The text as the embedded font can draw it: a character it lacks (an emoji in a comment) becomes its nearest
    decomposition, or « ? » — never an empty box."""
    out = []
    for ch in str(text):
        if ord(ch) in _COVERED or ch in "\n\t":
            out.append(ch)
        elif ch in _SUBSTITUTES:
            out.append(_SUBSTITUTES[ch])
        else:
            near = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) in _COVERED)
            out.append(near or "?")
    return "".join(out)


def markup(text: object) -> str:
    """Plain text for a Paragraph: what the font lacks replaced, XML escaped, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


INK = colors.HexColor("#1A1A1A")
RULE = colors.HexColor("#7A7A7A")
HEADER_FILL = colors.HexColor("#D9D9D9")  # table headers: a light grey that black text reads on, printed or not
ZEBRA = colors.HexColor("#F2F2F2")

TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=16, leading=20, textColor=INK, spaceAfter=2)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=10.5, leading=14, textColor=INK, spaceAfter=6)
H1 = ParagraphStyle(
    "h1", fontName=BOLD, fontSize=12.5, leading=16, textColor=INK, spaceBefore=10, spaceAfter=4, keepWithNext=True
)
H2 = ParagraphStyle(
    "h2", fontName=BOLD, fontSize=9.5, leading=12, textColor=INK, spaceBefore=6, spaceAfter=2, keepWithNext=True
)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK, spaceAfter=4)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=10, bulletIndent=0, spaceAfter=1)
NOTE = ParagraphStyle("note", fontName=ITALIC, fontSize=8, leading=10.5, textColor=INK, spaceAfter=4)
CELL = ParagraphStyle("cell", fontName=FONT, fontSize=7.8, leading=9.6, textColor=INK)
CELL_RIGHT = ParagraphStyle("cell-right", parent=CELL, alignment=TA_RIGHT)
CELL_HEAD = ParagraphStyle("cell-head", parent=CELL, fontName=BOLD)
CELL_HEAD_RIGHT = ParagraphStyle("cell-head-right", parent=CELL_HEAD, alignment=TA_RIGHT)


def paragraph(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(markup(text), style)


def cell_text(value: object) -> str:
    """A cell as the pages show it: whole numbers with French separators, nothing known as « – »."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | Decimal | float | numbers.Integral):
        return format_number(value)
    return str(value)


def _width(text: str, font: str) -> float:
    return pdfmetrics.stringWidth(text, font, CELL.fontSize)


def fit_widths(
    header: Sequence[str], rows: Sequence[Sequence[object]], total: float = TEXT_WIDTH, figures: Sequence[str] = ()
) -> list[float]:
    """Column widths that fill `total` the way a browser lays out a table: every column at least as wide as its
    longest word (no date or header cut in two) and a column of `figures` as wide as its longest figure (at least
    FIGURE_WIDTH), the room left shared in proportion to how much each column's longest line still lacks."""
    pad = 2 * CELL_PADDING + 1
    least, natural = [], []
    for i, head in enumerate(header):
        cells = [row[i] for row in rows]
        texts = [printable(cell_text(c)) for c in cells if not isinstance(c, Flowable)]
        drawn = [c.width for c in cells if isinstance(c, Flowable) and hasattr(c, "width")]
        words = [w for text in texts for w in text.split()]
        head = printable(head)
        longest = max([_width(w, BOLD) for w in head.split()] + [_width(w, FONT) for w in words] + drawn + [0])
        least.append(pad + min(longest, LONGEST_WORD))  # a longer word (a pasted link) is cut across lines
        lines = [line for text in texts for line in text.split("\n")]
        natural.append(pad + max([_width(head, BOLD)] + [_width(line, FONT) for line in lines] + drawn))
        if head in figures:
            least[-1] = max(FIGURE_WIDTH, least[-1], pad + max([_width(line, FONT) for line in lines] + [0]))
            natural[-1] = max(natural[-1], least[-1])
    if sum(natural) <= total:
        return [n + (total - sum(natural)) * n / sum(natural) for n in natural]
    if sum(least) <= total:
        lacking = [n - m for n, m in zip(natural, least, strict=True)]
        room = total - sum(least)
        return [m + room * gap / sum(lacking) for m, gap in zip(least, lacking, strict=True)]
    return [m * total / sum(least) for m in least]  # too many long words: they are cut (ReportLab splits them)


CELL_PADDING = 3
FIGURE_WIDTH = 30.0
LONGEST_WORD = 160.0


def table(
    frame: pd.DataFrame,
    widths: Sequence[float] | None = None,
    right: Sequence[str] = (),
    bold_last_row: bool = False,
    total: float = TEXT_WIDTH,
) -> Table:
    """A presenter's table as printed: header row in bold on light grey, repeated on each page the table runs
    onto; thin rules; every cell wraps within its column (widths fitted to the text unless given); `right`
    columns (figures) aligned right."""
    columns = list(frame.columns)
    rows = list(frame.itertuples(index=False))
    widths = list(widths) if widths is not None else fit_widths(columns, rows, total, right)
    assert sum(widths) <= TEXT_WIDTH + 1, "the table is wider than the page"
    head = [Paragraph(markup(c), CELL_HEAD_RIGHT if c in right else CELL_HEAD) for c in columns]
    body = [
        [
            value
            if isinstance(value, Flowable)
            else Paragraph(markup(cell_text(value)), CELL_RIGHT if c in right else CELL)
            for c, value in zip(columns, row, strict=True)
        ]
        for row in rows
    ]
    # splitInRow: a row taller than what is left of the page (a long comment) goes on over the next one
    shown = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    commands += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(body) + 1, 2)]
    if bold_last_row and body:
        commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, INK))
        for cell in body[-1]:
            if isinstance(cell, Paragraph):
                cell.style = CELL_HEAD_RIGHT if cell.style is CELL_RIGHT else CELL_HEAD
    shown.setStyle(TableStyle(commands))
    return shown


def side_by_side(left: Flowable, right: Flowable, left_width: float) -> Table:
    """A chart and its data table on one row, top-aligned, kept on one page."""
    row = Table([[left, right]], colWidths=[left_width, TEXT_WIDTH - left_width], hAlign="LEFT")
    row.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    return row


@dataclass(frozen=True)
class Decor:
    """What every page says about the document: a first header line (what and whom), a second (the filters and
    the date of the figures), a demo warning, and the footer's left part; the footer's right part is
    « page N / M », known only once every page is laid out."""

    heading: str
    filters_line: str
    footer: str
    demo_warning: str | None = None


def _fitted(page: canvas.Canvas, text: str, x: float, y: float, room: float, font: str, size: float) -> None:
    """One line of header or footer within `room` points: smaller type down to 6.5 pt, then cut with « … »."""
    line = printable(text)
    while size > 6.5 and pdfmetrics.stringWidth(line, font, size) > room:
        size -= 0.25
    while pdfmetrics.stringWidth(line, font, size) > room and len(line) > 1:
        line = line[:-2] + "…"
    page.setFont(font, size)
    page.drawString(x, y, line)


def _canvas_class(decor: Decor) -> Callable[..., canvas.Canvas]:
    """A canvas that keeps every page until the end, then draws header and footer on each with the page count
    (ReportLab's usual two-pass « page x of y »)."""

    class DecoratedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            self.saveState()
            self.setFillColor(INK)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            right = PAGE_WIDTH - MARGIN_X
            top = PAGE_HEIGHT - 10 * mm
            _fitted(self, decor.heading, MARGIN_X, top, TEXT_WIDTH, BOLD, 9)
            _fitted(self, decor.filters_line, MARGIN_X, top - 11.5, TEXT_WIDTH, FONT, 8.2)
            self.line(MARGIN_X, top - 16, right, top - 16)
            bottom = 9 * mm
            self.line(MARGIN_X, bottom + 10, right, bottom + 10)
            page = f"page {number} / {total}"
            self.setFont(BOLD, 8.5)
            self.drawRightString(right, bottom, page)
            room = TEXT_WIDTH - pdfmetrics.stringWidth(page, BOLD, 8.5) - 12
            x = MARGIN_X
            if decor.demo_warning:  # boxed, so that a photocopy of one page still says it
                text = printable(decor.demo_warning)
                width = pdfmetrics.stringWidth(text, BOLD, 8)
                self.setStrokeColor(INK)
                self.setLineWidth(0.8)
                self.rect(x, bottom - 2.5, width + 6, 11, stroke=1, fill=0)
                self.setFont(BOLD, 8)
                self.drawString(x + 3, bottom, text)
                x += width + 14
                room -= width + 14
            _fitted(self, decor.footer, x, bottom, room, FONT, 7.5)
            self.restoreState()

    return DecoratedCanvas


def render(story: list[Flowable], decor: Decor, title: str, subject: str) -> bytes:
    """The story laid out on A4 pages with the decor on every page; the PDF's own title and language are set so
    that a reader's window and a screen reader say what it is."""
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=printable(title),
        subject=printable(subject),
        author="iaedash – Département du Pas-de-Calais",
        creator="iaedash",
        lang="fr-FR",
    )
    document.build(story, canvasmaker=_canvas_class(decor))
    return out.getvalue()
