"""Read the call's territorial areas (`data/territoires.toml`, or `$IAEDASH_TERRITOIRES`) into `Area` values.

The groupings are data: an area more is an entry more. A file that does not parse, or an entry that says
something wrong (an unknown territory code, DEP in an area, a territory in two areas…), is an error naming the
file, the line, the column where it can, and the value — never a silent default, never an area left out.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from iaedash.domain.reference import DEFAULT_TERRITORY, TERRITORIES
from iaedash.domain.territories import LOCATED_TERRITORIES, Area
from iaedash.settings import territories_file

KEYS = ("code", "nom", "territoires", "description")
_CODE = re.compile(r"^[A-Z0-9_-]{1,30}$")
_NAMES = {t.code: t.label for t in TERRITORIES}


class TerritoriesFileError(ValueError):
    """The areas file is missing or wrong; the message (French) names the file, the line and the value."""


class _Text:
    """The file's lines, to find where an entry, a key or a value is written (tomllib gives values only)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def first(self, pattern: str, start: int = 1, end: int | None = None) -> int:
        """Line (1-based) of the first line in [start, end) matching `pattern`; 0 when none does."""
        found = re.compile(pattern)
        for n in range(start, (end or len(self.lines) + 1)):
            if found.match(self.lines[n - 1]):
                return n
        return 0

    def headers(self) -> list[int]:
        """The line of each `[[zone]]` header, in order: where entry n starts."""
        return [n for n, line in enumerate(self.lines, start=1) if re.match(r"^\s*\[\[\s*zone\s*\]\]", line)]

    def value(self, value: str, start: int, end: int, occurrence: int = 1) -> tuple[int, int]:
        """(line, column) of the `occurrence`-th quoted `value` between lines start and end; (start, 0) when it
        cannot be found (written in a way this search does not know)."""
        seen = 0
        quoted = re.compile(rf"([\"']){re.escape(value)}\1")
        for n in range(start, min(end, len(self.lines) + 1)):
            for match in quoted.finditer(self.lines[n - 1]):
                seen += 1
                if seen == occurrence:
                    return n, match.start() + 1
        return start, 0


def _place(source: str, line: int, column: int = 0) -> str:
    where = f"{source}, ligne {line}" if line else source
    return f"{where}, colonne {column}" if column else where


def parse_areas(text: str, source: str = "territoires.toml") -> tuple[Area, ...]:
    """The areas of an areas file's text, in the file's order; `source` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        place = _place(source, int(where.group(1)), int(where.group(2))) if where else source
        raise TerritoriesFileError(f"{place} : le fichier des zones n'est pas un TOML valide") from None
    lines = _Text(text)
    for name in raw:
        if name != "zone":
            line = lines.first(rf"^\s*(\[{{1,2}}\s*{re.escape(name)}\s*[\].]|{re.escape(name)}\s*[=.])")
            raise TerritoriesFileError(
                f"{_place(source, line)} : section inconnue « {name} » (seules les entrées [[zone]] sont lues)"
            )
    entries = raw.get("zone")
    if entries is None or entries == []:
        raise TerritoriesFileError(f"{source} : aucune zone ; le fichier doit en décrire au moins une ([[zone]])")
    if not isinstance(entries, list):
        line = lines.first(r"^\s*zone\s*=")
        raise TerritoriesFileError(f"{_place(source, line)} : « zone » doit être une liste d'entrées [[zone]]")
    headers = lines.headers()
    if len(headers) != len(entries):  # entries written inline (zone = [{…}]): the key's line for each
        headers = [lines.first(r"^\s*zone\s*=")] * len(entries)
    areas: list[Area] = []
    codes: dict[str, int] = {}
    labels: dict[str, int] = {}
    held: dict[str, tuple[str, int]] = {}
    for index, entry in enumerate(entries):
        start = headers[index]
        end = headers[index + 1] if index + 1 < len(headers) and headers[index + 1] != start else len(lines.lines) + 1
        area = _area(entry, lines, start, end, source)
        if area.code in codes:
            raise TerritoriesFileError(
                f"{_place(source, start)} : la zone « {area.code} » figure déjà à la ligne {codes[area.code]}"
            )
        if area.label in labels:
            raise TerritoriesFileError(
                f"{_place(source, start)} : le nom « {area.label} » est déjà celui de la zone de la ligne "
                f"{labels[area.label]}"
            )
        codes[area.code], labels[area.label] = start, start
        for territory in area.territories:
            if territory in held:
                other, other_line = held[territory]
                line, column = lines.value(territory, start, end)
                raise TerritoriesFileError(
                    f"{_place(source, line, column)} : le territoire « {territory} » est déjà dans la zone « {other} » "
                    f"(ligne {other_line}) ; un territoire appartient à une zone au plus"
                )
            held[territory] = (area.code, start)
        areas.append(area)
    return tuple(areas)


def _area(entry: object, lines: _Text, start: int, end: int, source: str) -> Area:
    where = _place(source, start)
    if not isinstance(entry, dict):
        raise TerritoriesFileError(f"{where} : entrée illisible (une zone s'écrit [[zone]] puis ses clés)")

    def key_line(key: str) -> int:
        return lines.first(rf"^\s*{key}\s*=", start, end) or start

    extra = [k for k in entry if k not in KEYS]
    if extra:
        raise TerritoriesFileError(
            f"{_place(source, key_line(re.escape(extra[0])))} : clé inconnue « {extra[0]} » "
            f"(clés possibles : {', '.join(KEYS)})"
        )
    for key in KEYS:
        if key not in entry:
            raise TerritoriesFileError(f"{where} : « {key} » manque (clés d'une zone : {', '.join(KEYS)})")
    code = entry["code"]
    if not isinstance(code, str) or not _CODE.match(code):
        raise TerritoriesFileError(
            f"{_place(source, key_line('code'))} : code de zone « {code} » invalide (majuscules, chiffres, _ ou -, "
            "30 caractères au plus)"
        )
    for key in ("nom", "description"):
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            raise TerritoriesFileError(f"{_place(source, key_line(key))} : « {key} » doit être un texte non vide")
    territories = entry["territoires"]
    if not isinstance(territories, list) or not territories:
        raise TerritoriesFileError(
            f"{_place(source, key_line('territoires'))} : « territoires » doit être une liste non vide de codes "
            '(territoires = ["BOU", "CAL"])'
        )
    seen: list[str] = []
    for territory in territories:
        if not isinstance(territory, str):
            raise TerritoriesFileError(
                f"{_place(source, key_line('territoires'))} : territoire « {territory} » : un code s'écrit entre "
                'guillemets ("BOU")'
            )
        line, column = lines.value(territory, key_line("territoires"), end, seen.count(territory) + 1)
        place = _place(source, line, column)
        if territory == DEFAULT_TERRITORY:
            raise TerritoriesFileError(
                f"{place} : « {DEFAULT_TERRITORY} » (tout le Département) n'entre dans aucune zone : une valeur "
                "déclarée pour tout le Département n'est pas localisée"
            )
        if territory not in LOCATED_TERRITORIES:
            known = ", ".join(f"{c} ({_NAMES[c]})" for c in LOCATED_TERRITORIES)
            raise TerritoriesFileError(f"{place} : territoire « {territory} » inconnu (codes possibles : {known})")
        if territory in seen:
            raise TerritoriesFileError(f"{place} : territoire « {territory} » cité deux fois dans la zone « {code} »")
        seen.append(territory)
    return Area(code, entry["nom"].strip(), tuple(seen), entry["description"].strip())


@lru_cache(maxsize=8)
def _areas_of(path: str, mtime_ns: int, size: int) -> tuple[Area, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TerritoriesFileError(f"{path} : fichier des zones illisible ({type(error).__name__})") from None
    return parse_areas(text, path)


def load_areas(path: Path | None = None) -> tuple[Area, ...]:
    """The areas of the areas file, read again when it changes on disk. A missing file is an error: the page
    says so rather than show no area."""
    target = path or territories_file()
    try:
        stat = target.stat()
    except OSError:
        raise TerritoriesFileError(
            f"{target} : fichier des zones introuvable (celui du projet est data/territoires.toml ; "
            "$IAEDASH_TERRITOIRES en désigne un autre)"
        ) from None
    return _areas_of(str(target), stat.st_mtime_ns, stat.st_size)
