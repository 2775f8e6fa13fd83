"""Read the roles file (`data/acces.toml`, or `$IAEDASH_ACCES`) into access rules.

A file that does not parse, or an entry that says something unclear, is an error naming its line: the
app stops on it rather than open its data to anyone (never a fallback to open access).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from iaedash.domain.access import AccessRule, Role
from iaedash.settings import access_file

_KEYS = {"email", "role", "reseaux"}
_CODE = re.compile(r"^[A-Z0-9_-]{1,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^@[^@\s]+\.[^@\s]+$")


class AccessFileError(ValueError):
    """The roles file is missing or wrong; the message (French) names the file and the line."""


def _entry_lines(text: str) -> list[int]:
    """Line number (1-based) of each `[[acces]]` header, in order: where entry n starts."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if re.match(r"^\s*\[\[\s*acces\s*\]\]", line)]


def _section_line(text: str, name: str) -> int:
    """Line (1-based) where a top-level key or table `name` first appears (`[name]`, `[[name]]`, `[name.x]`,
    `name = …`); 0 when it cannot be found (a quoted key)."""
    pattern = re.compile(rf"^\s*(\[{{1,2}}\s*{re.escape(name)}\s*[\].]|{re.escape(name)}\s*[=.])")
    for n, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return n
    return 0


def parse_access(text: str, source: str = "acces.toml") -> list[AccessRule]:
    """Rules of a roles file's text; `source` names it in messages."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        place = f"ligne {where.group(1)}, colonne {where.group(2)}" if where else "emplacement inconnu"
        raise AccessFileError(f"{source}, {place} : le fichier des accès n'est pas un TOML valide") from None
    unknown_sections = sorted(set(raw) - {"acces"}, key=lambda name: _section_line(text, name))
    if unknown_sections:
        name = unknown_sections[0]
        raise AccessFileError(
            f"{source}, ligne {_section_line(text, name)} : section inconnue « {name} » "
            "(seules les entrées [[acces]] sont lues)"
        )
    entries = raw.get("acces", [])
    if not isinstance(entries, list):
        raise AccessFileError(f"{source} : « acces » doit être une liste d'entrées [[acces]]")
    lines = _entry_lines(text)
    rules: list[AccessRule] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else 0
        rule = _rule(entry, line, source)
        if rule.pattern in seen:
            raise AccessFileError(
                f"{source}, ligne {line} : « {rule.pattern} » figure déjà à la ligne {seen[rule.pattern]} ; "
                "une adresse ou un domaine ne peut avoir qu'un rôle"
            )
        seen[rule.pattern] = line
        rules.append(rule)
    return rules


def _rule(entry: object, line: int, source: str) -> AccessRule:
    where = f"{source}, ligne {line}"
    if not isinstance(entry, dict):
        raise AccessFileError(f"{where} : entrée illisible")
    extra = sorted(set(entry) - _KEYS)
    if extra:
        raise AccessFileError(f"{where} : clé inconnue « {extra[0]} » (clés possibles : email, role, reseaux)")
    email = entry.get("email")
    if not isinstance(email, str) or not email.strip():
        raise AccessFileError(f"{where} : « email » manque (une adresse, ou un domaine comme « @pasdecalais.fr »)")
    pattern = email.strip().lower()
    if not (_EMAIL.match(pattern) or _DOMAIN.match(pattern)):
        raise AccessFileError(
            f"{where} : « {email} » n'est ni une adresse ni un domaine (« nom@domaine.fr » ou « @domaine.fr »)"
        )
    role_text = entry.get("role")
    if role_text is None:
        known = ", ".join(r.value for r in Role)
        raise AccessFileError(f"{where} : « role » manque (rôles possibles : {known})")
    try:
        role = Role(role_text)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise AccessFileError(f"{where} : rôle « {role_text} » inconnu (rôles possibles : {known})") from None
    heads = entry.get("reseaux")
    if role is Role.NETWORK:
        if not isinstance(heads, list) or not heads or not all(isinstance(h, str) for h in heads):
            raise AccessFileError(f'{where} : le rôle « reseau » demande la liste de ses réseaux (reseaux = ["CODE"])')
        codes = frozenset(h.strip().upper() for h in heads)
        bad = sorted(c for c in codes if not _CODE.match(c))
        if bad:
            raise AccessFileError(f"{where} : code de réseau « {bad[0]} » invalide")
        if pattern.startswith("@"):
            raise AccessFileError(
                f"{where} : un domaine entier ne peut pas recevoir le rôle « reseau » : nommez chaque adresse"
            )
        return AccessRule(pattern, role, codes, line)
    if heads is not None:
        raise AccessFileError(f"{where} : « reseaux » ne vaut que pour le rôle « reseau » (ici « {role.value} »)")
    return AccessRule(pattern, role, None, line)


def load_access(path: Path | None = None) -> list[AccessRule]:
    """The rules of the roles file; a missing or unreadable file is an error, never « no restriction »."""
    target = path or access_file()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AccessFileError(
            f"{target} : fichier des accès introuvable ; sans lui personne n'a accès (modèle : "
            "data/acces.exemple.toml, ou $IAEDASH_ACCES pour un autre chemin)"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise AccessFileError(f"{target} : fichier des accès illisible ({type(error).__name__})") from None
    return parse_access(text, str(target))
