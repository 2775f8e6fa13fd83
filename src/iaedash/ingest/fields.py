"""Normalising headers and codes, and parsing one cell into a typed value.

Each parser takes a raw cell (text from a CSV, or a typed value from an .xlsx
cell) and returns the value or raises `CellError` with a French message that
names the bad value and says what was expected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from iaedash.ingest.problems import escape_controls

Parser = Callable[[Any], Any]

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


class CellError(ValueError):
    """A cell whose content does not fit its column."""


def normalise_header(text: str) -> str:
    """Headers match ignoring case, accents, surrounding spaces (and inner spaces or hyphens)."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", plain.strip().lower())


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


_SHOWN_AT_MOST = 60


def show(raw: Any) -> str:
    """The value as the user typed it, quoted French-style for messages (escaped, and cut when long)."""
    text = str(raw).strip()
    if len(text) > _SHOWN_AT_MOST:
        text = f"{text[:_SHOWN_AT_MOST]}… ({len(text)} caractères)"
    return f"« {escape_controls(text).replace(chr(10), ' ')} »"


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _code_text(raw: Any) -> str:
    """A code, identifier, number or date as typed, normalised NFKC: full-width « Ｓ０１ » is S01 (and is
    stored so), never a second identifier; what is left must be plain ASCII (the checks' digits and letters
    are ASCII only, so Arabic-Indic or other digits are refused, not read as numbers)."""
    return unicodedata.normalize("NFKC", _text(raw))


def parse_code(allowed: Iterable[str]) -> Parser:
    """A code from a closed list, matched ignoring case and surrounding spaces."""
    codes = tuple(allowed)

    def parse(raw: Any) -> str:
        code = _code_text(raw).upper()
        if code not in codes:
            raise CellError(f"{show(raw)} n'est pas un code connu (attendu : {', '.join(codes)})")
        return code

    return parse


_NETWORK_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$", re.ASCII)


def parse_network_head(raw: Any) -> str:
    code = _code_text(raw).upper()
    if not _NETWORK_CODE.match(code):
        raise CellError(
            f"{show(raw)} n'est pas un code de réseau valide "
            "(lettres sans accent, chiffres, - ou _, 20 caractères au plus, ex. URIAE)"
        )
    return code


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(f"{show(raw)} n'est pas un nombre entier")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(f"{show(raw)} n'est pas un nombre entier")
    if isinstance(raw, float):  # NaN or infinity from a workbook
        raise CellError(f"{show(raw)} n'est pas un nombre entier")
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(raw)))
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise CellError(f"{show(raw)} n'est pas un nombre entier")
    if len(text.lstrip("+-0")) > 19:  # beyond any count or year; Python refuses to convert 4,300 digits
        raise CellError(f"{_shown_number(raw, text)} est trop grand : attendu un nombre entier d'au plus 10 chiffres")
    return int(text)


def _shown_number(raw: Any, text: str) -> str:
    """A very long number named by its start and its length, not pasted whole into a message."""
    return show(raw) if len(text) <= 30 else f"« {text[:12]}… » ({len(text)} chiffres)"


MAX_COUNT = 2_147_483_647  # what the store's integer columns hold
MAX_MONEY = Decimal("999999999999.99")  # what decimal(14, 2) holds


def parse_count(raw: Any) -> int:
    """A quarterly count: a whole number ≥ 0."""
    value = _integer(raw)
    if value < 0:
        raise CellError(f"{show(raw)} est négatif : attendu un nombre entier positif ou nul")
    if value > MAX_COUNT:
        raise CellError(f"{show(raw)} est trop grand : attendu un nombre entier d'au plus 10 chiffres")
    return value


def parse_optional_count(raw: Any) -> int | None:
    """A target left empty means « pas d'objectif », not 0."""
    return None if is_blank(raw) else parse_count(raw)


def parse_year(raw: Any) -> int:
    value = _integer(raw)
    if not 2000 <= value <= 2100:
        raise CellError(f"{show(raw)} n'est pas une année valide (ex. 2025)")
    return value


def parse_quarter(raw: Any) -> int:
    """1–4, also written T1–T4."""
    text = _code_text(raw).upper()
    if text.startswith("T"):
        text = text[1:].strip()
    if text not in {"1", "2", "3", "4"}:
        raise CellError(f"{show(raw)} n'est pas un trimestre (attendu : 1 à 4 ou T1 à T4)")
    return int(text)


def parse_month(raw: Any) -> int:
    try:
        value = _integer(raw)
    except CellError:
        raise CellError(f"{show(raw)} n'est pas un mois (attendu : 1 à 12)") from None
    if not 1 <= value <= 12:
        raise CellError(f"{show(raw)} n'est pas un mois (attendu : 1 à 12)")
    return value


def _decimal(raw: Any, what: str) -> Decimal:
    """A decimal written with comma or point, spaces as thousands separators, an optional € or %."""
    if isinstance(raw, bool):
        raise CellError(f"{show(raw)} n'est pas {what}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellError(f"{show(raw)} n'est pas {what}")
        return Decimal(repr(round(raw, 6))).normalize()
    if isinstance(raw, Decimal):  # a Parquet decimal: its scale is the column's type, not what was written
        return raw.normalize()
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(raw))).removesuffix("€").removesuffix("%")
    if "," in text and "." in text:  # 1.234,56 or 1,234.56: the last mark is the decimal one
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
        raise CellError(f"{show(raw)} n'est pas {what}")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise CellError(f"{show(raw)} n'est pas {what}") from None


def _at_most_cents(value: Decimal, raw: Any, what: str) -> Decimal:
    # « 3.900 » has three decimals as written: refused rather than read as 3,90 (a thousands point?)
    if value.as_tuple().exponent < -2 or value != value.quantize(Decimal("0.01")):
        raise CellError(f"{show(raw)} a plus de deux décimales : attendu {what} au centime près")
    return value.quantize(Decimal("0.01"))


def parse_money(raw: Any) -> Decimal:
    """Euros ≥ 0, to the cent."""
    what = "un montant en euros (ex. 3 250,50)"
    value = _decimal(raw, what)
    if value < 0:
        raise CellError(f"{show(raw)} est négatif : attendu un montant positif ou nul")
    if value > MAX_MONEY:
        raise CellError(f"{show(raw)} est trop grand : attendu un montant inférieur à mille milliards d'euros")
    return _at_most_cents(value, raw, "un montant")


def parse_optional_money(raw: Any) -> Decimal:
    """An empty amount is zero (e.g. no advance paid yet)."""
    return Decimal("0.00") if is_blank(raw) else parse_money(raw)


def parse_rate(raw: Any) -> Decimal:
    """An assignment rate in %, 0 < t ≤ 100: `50`, `50,5`, `50.5` and `50 %` all read as 50.5 or 50."""
    what = "un taux d'affectation en % (ex. 50 ou 50,5)"
    value = _decimal(raw, what)
    if not 0 < value <= 100:
        raise CellError(f"{show(raw)} est hors limites : le taux d'affectation doit être > 0 et ≤ 100 %")
    return _at_most_cents(value, raw, "un taux")


def parse_yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = normalise_header(_code_text(raw))
    if text in {"oui", "o"}:
        return True
    if text in {"non", "n"}:
        return False
    raise CellError(f"{show(raw)} n'est pas une réponse valide (attendu : oui ou non)")


def parse_date(raw: Any) -> date:
    """AAAA-MM-JJ or JJ/MM/AAAA, or a date cell of a workbook."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _code_text(raw)
    if not re.fullmatch(r"[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}", text):
        raise CellError(f"{show(raw)} n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise CellError(f"{show(raw)} n'est pas une date (attendu : JJ/MM/AAAA ou AAAA-MM-JJ)")


def parse_optional_date(raw: Any) -> date | None:
    return None if is_blank(raw) else parse_date(raw)


_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab and line breaks are text


def parse_text(raw: Any) -> str:
    """Free text, stored as typed (no normalisation), but without control characters: they are not
    something a person types, and they would travel into every export."""
    text = _text(raw)
    if len(text) > 2000:
        raise CellError(f"texte trop long : 2 000 caractères au plus (celui-ci en compte {len(text)})")
    bad = _TEXT_CONTROLS.search(text)
    if bad:
        raise CellError(
            f"caractère de contrôle {escape_controls(bad.group())} dans le texte {show(text)} : retirez-le "
            "(souvent un copier-coller depuis un autre logiciel)"
        )
    return text


def parse_optional_text(raw: Any) -> str | None:
    return None if is_blank(raw) else parse_text(raw)


_PSEUDONYM = re.compile(r"^[A-Za-z]{0,5}[-_]?[0-9]{1,6}$")


def parse_employee(raw: Any) -> str:
    """Staff are named by a pseudonymous identifier, never by their name (personal data)."""
    text = _code_text(raw)
    if not _PSEUDONYM.match(text):
        raise CellError(
            f"{show(raw)} n'est pas un identifiant pseudonyme : attendu un code comme S01 "
            "(jamais le nom d'une personne)"
        )
    return text.upper()
