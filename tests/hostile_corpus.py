"""Hostile submission files, each with what the import must do with it (issue 13).

Every case is built here from literals — bytes written by hand, zip archives assembled member by member,
workbooks from openpyxl then edited — never from the code under test. A case either expects a refusal
(a French fragment of its message, and where it points: line, column) or an acceptance with the exact rows
the format promises to store. `python tests/hostile_corpus.py DOSSIER` writes the files out, to try them by
hand (`iaedash import DOSSIER/*`).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

CONVENTION = (
    "reseau;nom;annee;date_debut;date_fin;cout_personnel_prevu;montant_fse;contrepartie_departement;"
    "autofinancement;avance_versee;date_avance;objectif_gouv;objectif_form;objectif_juri;objectif_veil;"
    "objectif_webi;objectif_comi\r\n"
    "TEST;Réseau de test (fictif);2025;01/01/2025;31/12/2025;100000,00;84000,00;42000,00;14000,00;21000,00;"
    "15/03/2025;10;12;8;4;;9\r\n"
).encode()

IND_HEADER = ["reseau", "annee", "trimestre", "orientation", "indicateur", "territoire", "valeur", "commentaire"]
STAFF_HEADER = [
    "reseau", "annee", "mois", "salarie", "fonction", "fonction_support", "cout_mensuel", "taux_affectation",
]  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One hostile file. `refused` is a fragment of the expected message (None: accepted); `line` and
    `column` where it must point; `indicators` / `staff` the rows an accepted file stores (as the format
    says: indicator (orientation, indicator, territory, value, comment), staff (month, employee, cost, rate)).
    `kind` tells how the file reaches the import: bytes under `name`, or a special path (link, folder…)."""

    name: str
    build: Callable[[], bytes]
    refused: str | None = None
    line: int | None = None
    column: str | None = None
    indicators: list[tuple] = field(default_factory=list)
    staff: list[tuple] = field(default_factory=list)
    kind: str = "file"  # file | symlink | folder | missing | fifo | device
    bomb: bool = False  # measured in a process of its own, with a memory ceiling


def csv_bytes(header: list[str], rows: list[list[str]], sep: str = ";", end: str = "\r\n", enc: str = "utf-8") -> bytes:
    return end.join([sep.join(header), *(sep.join(r) for r in rows)]).encode(enc) + end.encode(enc)


def ind(*rows: list[str], quarter: str = "T1") -> bytes:
    """An indicator file of TEST 2025 with the given (orientation … commentaire) cells."""
    return csv_bytes(IND_HEADER, [["TEST", "2025", quarter, *r] for r in rows])


def one_value(value: str, comment: str = "", quarter: str = "T1") -> bytes:
    return ind(["PRO", "GOUV", "DEP", value, comment], quarter=quarter)


def staff(*rows: list[str]) -> bytes:
    """A staff file of TEST 2025: (mois, salarie, fonction, support, cout, taux) cells."""
    return csv_bytes(STAFF_HEADER, [["TEST", "2025", *r] for r in rows])


def one_staff(cost: str = "3000,00", rate: str = "50", employee: str = "S01") -> bytes:
    return staff(["1", employee, "Chargée de mission", "non", cost, rate])


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """The same rows give the same bytes: openpyxl dates its zip entries and « modified » at the second it saves,
    which made a property test's drawn byte positions depend on the clock (hypothesis's FlakyStrategyDefinition)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    saved = io.BytesIO()
    book.save(saved)
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(saved.getvalue()))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2025-01-01T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


GOOD_ROWS = [
    IND_HEADER,
    ["TEST", 2025, "T1", "PRO", "GOUV", "DEP", 1, "a"],
    ["TEST", 2025, "T1", "PRO", "FORM", "DEP", 2, "b"],
]


def good_book() -> bytes:
    return workbook({"indicateurs": GOOD_ROWS})


def rewrite(data: bytes, member: str, edit: Callable[[bytes], bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same archive with one member's bytes edited."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, edit(body) if info.filename == member else body)
    return out.getvalue()


def sheet_edit(edit: Callable[[bytes], bytes]) -> Callable[[], bytes]:
    return lambda: rewrite(good_book(), "xl/worksheets/sheet1.xml", edit)


def shared_string_book() -> bytes:
    """A workbook with a shared-strings part (openpyxl writes inline texts): made by hand, minimal."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="indicateurs" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + "".join(f"<si><t>{h}</t></si>" for h in [*IND_HEADER, "TEST", "T1", "PRO", "GOUV", "DEP", "vu"])
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            "<sheetData>"
            '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDEFGH")) + "</row>"
            '<row r="2"><c r="A2" t="s"><v>8</v></c><c r="B2"><v>2025</v></c><c r="C2" t="s"><v>9</v></c>'
            '<c r="D2" t="s"><v>10</v></c><c r="E2" t="s"><v>11</v></c><c r="F2" t="s"><v>12</v></c>'
            '<c r="G2"><f>1+2</f><v>3</v></c><c r="H2" t="s"><v>13</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def shared_edit(
    member: str, edit: Callable[[bytes], bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Callable[[], bytes]:
    return lambda: rewrite(shared_string_book(), member, edit, compression)


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def encrypted_flag() -> bytes:
    """The good workbook with its sheet's entry marked encrypted (general purpose flag, bit 0)."""
    data = bytearray(good_book())
    name = b"xl/worksheets/sheet1.xml"
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[start + flag_at] |= 0x1
            start += 4
    return bytes(data)


def password_protected() -> bytes:
    """What Excel writes for a workbook with a password: an OLE compound file holding `EncryptedPackage`
    (the real thing's header and stream names; the encrypted bytes do not matter to the message)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    directory = "Root Entry".encode("utf-16-le") + b"\x00" * 20 + "EncryptedPackage".encode("utf-16-le")
    return header.ljust(512, b"\x00") + directory.ljust(512, b"\x00") + bytes(range(256)) * 8


def big_shared_strings() -> bytes:
    """A zip bomb: a shared-strings part of 150 MB of one repeated letter, about 150 kB zipped."""
    body = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    return rewrite(
        shared_string_book(), "xl/sharedStrings.xml", lambda d: body + b"A" * 150_000_000 + b"</t></si></sst>"
    )


def many_parts() -> bytes:
    members = {f"xl/media/image{i}.png": b"x" for i in range(1_001)}
    source = zipfile.ZipFile(io.BytesIO(good_book()))
    members.update({info.filename: source.read(info.filename) for info in source.infolist()})
    return zip_of(members)


def rows_beyond_limit() -> bytes:
    """200,001 data rows of one number each (no declared dimension): refused at the first one too many."""
    rows = "".join(f'<row r="{n}"><c r="G{n}"><v>1</v></c></row>' for n in range(3, 200_004))
    return shared_edit(
        "xl/worksheets/sheet1.xml",
        lambda d: d.replace(b"</row></sheetData>", b"</row>" + rows.encode() + b"</sheetData>"),
    )()


def wide_header_book() -> bytes:
    """What a stray keystroke far right leaves: 10,000 empty styled cells in the header, a wide dimension,
    and 1,000 rows — read sparsely, as if the columns were not there."""
    empties = "".join(f'<c r="{column(c)}1" s="0"/>' for c in range(9, 10_009))
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>TEST</t></is></c><c r="B{n}"><v>2025</v></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>T2</t></is></c><c r="D{n}" t="inlineStr"><is><t>MAR</t></is></c>'
        f'<c r="E{n}" t="inlineStr"><is><t>{INDICATORS[n % 6]}</t></is></c>'
        f'<c r="F{n}" t="inlineStr"><is><t>{TERRITORIES[n // 6 % 8]}</t></is></c><c r="G{n}"><v>{n}</v></c></row>'
        for n in range(2, 50)
    )

    def edit(sheet: bytes) -> bytes:
        header_end = sheet.index(b"</row>")
        sheet = sheet[:header_end] + empties.encode() + sheet[header_end:]
        start = sheet.index(b'<row r="2"')
        end = sheet.index(b"</sheetData>")
        sheet = sheet[:start] + rows.encode() + sheet[end:]
        return sheet.replace(b'<dimension ref="A1:H3"/>', b'<dimension ref="A1:NTP49"/>')

    return rewrite(good_book(), "xl/worksheets/sheet1.xml", edit)


INDICATORS = ("GOUV", "FORM", "JURI", "VEIL", "WEBI", "COMI")
TERRITORIES = ("ARR", "ART", "AUD", "BOU", "CAL", "LEH", "MOT", "DEP")


def column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def wide_csv() -> bytes:
    """A CSV whose header and rows end with 10,000 empty columns."""
    pad = ";" * 10_000
    rows = [f"TEST;2025;T3;INT;{INDICATORS[n % 6]};{TERRITORIES[n // 6 % 8]};{n};{pad}" for n in range(48)]
    return ("\r\n".join([";".join(IND_HEADER) + pad, *rows]) + "\r\n").encode()


def wide_rows() -> list[tuple]:
    return [("INT", INDICATORS[n % 6], TERRITORIES[n // 6 % 8], n, None) for n in range(48)]


def wide_book_rows() -> list[tuple]:
    return [("MAR", INDICATORS[n % 6], TERRITORIES[n // 6 % 8], n, None) for n in range(2, 50)]


def merged_cells() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "indicateurs"
    for row in [
        IND_HEADER,
        ["TEST", 2025, "T1", "PRO", "GOUV", "DEP", 4, ""],
        ["TEST", 2025, "T1", "PRO", "FORM", "DEP"],
    ]:
        sheet.append(row)
    sheet.merge_cells("G2:G3")  # the value shows over two rows; only G2 holds it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formula_text_book() -> bytes:
    """A text cell that reads like a formula (typed after an apostrophe in Excel): stored as typed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "indicateurs"
    sheet.append(IND_HEADER)
    sheet.append(["TEST", 2025, "T1", "PRO", "GOUV", "DEP", 6])
    cell = sheet["H2"]
    cell.value = "=cmd|' /C calc'!A0"
    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ok(value: int, comment: str | None = None) -> list[tuple]:
    return [("PRO", "GOUV", "DEP", value, comment)]


LONG_NAME = "dépôt_" + "é" * 119 + ".csv"  # 250 bytes in UTF-8
LONGEST_NAME = "dépôt_" + "é" * 94 + ".csv"  # 200 bytes: the longest kept whole

CASES: list[Case] = [
    # -- containers, encodings, what a file really is
    Case("vide.csv", lambda: b"", "le fichier est vide", line=1),
    Case("entete_seule.csv", lambda: csv_bytes(IND_HEADER, []), "aucune ligne de données sous l'en-tête", line=1),
    Case("bom_seul.csv", lambda: b"\xef\xbb\xbf", "le fichier est vide", line=1),
    Case("utf16.csv", lambda: one_value("3").decode().encode("utf-16"), "UTF-16"),
    Case("separateurs.csv", lambda: b";;;;\r\n;;;;\r\n", "le fichier est vide (aucune cellule remplie)", line=1),
    Case("guillemets_vides.csv", lambda: b'""\r\n', "le fichier est vide", line=1),
    Case("fins_cr.csv", lambda: one_value("5").replace(b"\r\n", b"\r"), indicators=ok(5)),
    Case("binaire.csv", lambda: bytes((i * 37) % 256 for i in range(4096)), "caractère nul"),
    Case("image.xlsx", lambda: b"\x89PNG\r\n\x1a\n" + bytes(200), "une image PNG, pas un tableau"),
    Case("archive.xlsx", lambda: zip_of({"lisez-moi.txt": b"bonjour"}), "archive .zip qui n'est pas un classeur Excel"),
    Case("tronque.xlsx", lambda: good_book()[:1500], "classeur .xlsx illisible ou endommagé"),
    Case("mot_de_passe.xlsx", password_protected, "classeur protégé par un mot de passe"),
    Case("chiffre.xlsx", encrypted_flag, "classeur chiffré"),
    Case(
        "compression.xlsx",
        lambda: rewrite(good_book(), "", lambda d: d, zipfile.ZIP_LZMA),
        "compressé d'une façon qu'Excel n'emploie pas (méthode 14",
    ),
    Case(
        "ancien.xlsx",
        lambda: password_protected().replace("EncryptedPackage".encode("utf-16-le"), bytes(32)),
        "ancien format Excel 97-2003",
    ),
    # -- bombs: refused at once, within the bounds of time and memory
    Case("bombe_textes.xlsx", big_shared_strings, "une fois décompressé il dépasse 100 Mo", bomb=True),
    Case("bombe_parties.xlsx", many_parts, "l'archive compte 1\u202f010 parties", bomb=True),
    Case(
        "bombe_dimension.xlsx",
        sheet_edit(lambda d: d.replace(b'<dimension ref="A1:H3"/>', b'<dimension ref="A1:XFD1048576"/>')),
        "zone déclarée A1:XFD1048576",
        bomb=True,
    ),
    Case(
        "bombe_numero_ligne.xlsx",
        shared_edit(
            "xl/worksheets/sheet1.xml",
            lambda d: re.sub(rb'r="([A-H]?)2"', rb'r="\g<1>2000000000"', d),
        ),
        "porte le numéro « 2000000000 », qu'aucun tableur ne peut avoir",
        bomb=True,
    ),
    Case(
        "trop_de_lignes.xlsx", rows_beyond_limit, "au-delà de la limite de 200\u202f000 lignes", line=200_002, bomb=True
    ),
    Case(
        "trop_de_lignes.csv",
        lambda: ind(*(["PRO", "GOUV", "DEP", "1", ""] for _ in range(200_001))),
        "plus de 200\u202f000 lignes de données",
        line=200_002,
        bomb=True,
    ),
    Case(
        "gros.csv",
        lambda: one_value("1", "x" * 21_000_000),
        "fichier trop volumineux (21 Mo) : la limite est de 20 Mo",
        bomb=True,
    ),
    Case("colonnes_vides.csv", wide_csv, indicators=wide_rows()),
    Case("colonnes_vides.xlsx", wide_header_book, indicators=wide_book_rows()),
    Case(
        "cellule_10_mo.csv",
        lambda: one_value("1", "x" * 10_000_000),
        "texte trop long : 2 000 caractères au plus",
        line=2,
        column="commentaire",
        bomb=True,
    ),
    # -- cells
    Case("commentaire_2000.csv", lambda: one_value("1", "é" * 2000), indicators=ok(1, "é" * 2000)),
    Case(
        "commentaire_2001.csv",
        lambda: one_value("1", "é" * 2001),
        "texte trop long : 2 000 caractères au plus",
        line=2,
        column="commentaire",
    ),
    Case("au_dela_int64.csv", lambda: one_value("99999999999999999999"), "est trop grand", line=2, column="valeur"),
    Case(
        "moins_zero.csv",
        lambda: ind(["PRO", "GOUV", "DEP", "-0", ""], ["PRO", "FORM", "DEP", "1", ""]),
        indicators=[("PRO", "FORM", "DEP", 1, None), ("PRO", "GOUV", "DEP", 0, None)],  # « -0 » is 0
    ),
    Case("exposant.csv", lambda: one_value("1e3"), "« 1e3 » n'est pas un nombre entier", line=2, column="valeur"),
    Case("hexa.csv", lambda: one_value("0x10"), "« 0x10 » n'est pas un nombre entier", line=2, column="valeur"),
    Case("pleine_chasse.csv", lambda: one_value("１２"), indicators=ok(12)),
    Case("nan.csv", lambda: one_value("NaN"), "« NaN » n'est pas un nombre entier", line=2, column="valeur"),
    Case("inf.csv", lambda: one_value("inf"), "« inf » n'est pas un nombre entier", line=2, column="valeur"),
    Case(
        "taux_zero.csv",
        lambda: one_staff(rate="0"),
        "le taux d'affectation doit être > 0 et ≤ 100 %",
        line=2,
        column="taux_affectation",
    ),
    Case(
        "taux_100_001.csv",
        lambda: one_staff(rate="100.001"),
        "le taux d'affectation doit être > 0 et ≤ 100 %",
        line=2,
        column="taux_affectation",
    ),
    Case(
        "taux_1e2.csv",
        lambda: one_staff(rate="1e2"),
        "« 1e2 » n'est pas un taux d'affectation",
        line=2,
        column="taux_affectation",
    ),
    Case(
        "montant_milliers.csv",
        lambda: one_staff(cost="3.900,50"),
        staff=[(1, "S01", Decimal("3900.50"), Decimal("50"))],
    ),
    Case(
        "montant_negatif.csv", lambda: one_staff(cost="-0,01"), "« -0,01 » est négatif", line=2, column="cout_mensuel"
    ),
    Case(
        "montant_exposant.csv",
        lambda: one_staff(cost="1e9"),
        "« 1e9 » n'est pas un montant en euros",
        line=2,
        column="cout_mensuel",
    ),
    Case(
        "annee_1899.csv",
        lambda: one_value("1").replace(b";2025;", b";1899;"),
        "« 1899 » n'est pas une année valide",
        line=2,
        column="annee",
    ),
    Case(
        "annee_3000.csv",
        lambda: one_value("1").replace(b";2025;", b";3000;"),
        "« 3000 » n'est pas une année valide",
        line=2,
        column="annee",
    ),
    Case(
        "trimestre_0.csv",
        lambda: one_value("1", quarter="0"),
        "« 0 » n'est pas un trimestre",
        line=2,
        column="trimestre",
    ),
    Case(
        "trimestre_t5.csv",
        lambda: one_value("1", quarter="T5"),
        "« T5 » n'est pas un trimestre",
        line=2,
        column="trimestre",
    ),
    Case(
        "sql.csv",
        lambda: one_value("1").replace(b"TEST;", b"TEST'); DROP TABLE imports;--;"),
        "n'est pas un code de réseau valide",
        line=2,
        column="reseau",
    ),
    Case("nul.csv", lambda: one_value("1").replace(b"\r\nTEST;", b"\r\nTE\x00ST;"), "caractère nul", line=2),
    Case(
        "echappement.csv",
        lambda: one_value("1", "rouge \x1b[31m ici"),
        "caractère de contrôle \\x1b",
        line=2,
        column="commentaire",
    ),
    Case(
        "formule.csv",
        lambda: one_value("2", '=HYPERLINK("http://exemple.invalid")'),
        indicators=ok(2, '=HYPERLINK("http://exemple.invalid")'),
    ),
    Case("formule.xlsx", shared_string_book, indicators=ok(3, "vu")),  # the formula's cached result is read
    Case("formule_texte.xlsx", formula_text_book, indicators=ok(6, "=cmd|' /C calc'!A0")),
    Case("fusion.xlsx", merged_cells, "valeur", line=3, column="valeur"),
    Case("mauvais_onglet.xlsx", lambda: workbook({"Feuil1": GOOD_ROWS}), "aucun onglet nommé indicateurs"),
    Case(
        "deux_onglets.xlsx",
        lambda: workbook({"indicateurs": GOOD_ROWS, "Indicateurs ": GOOD_ROWS}),
        "deux onglets du même type dans le classeur : « indicateurs » et « Indicateurs  »",
    ),
    Case(
        "meme_numero.xlsx",
        sheet_edit(lambda d: d.replace(b'<row r="3">', b'<row r="2">').replace(b'3"', b'2"')),
        "deux lignes de l'onglet portent le numéro 2",
        line=2,
    ),
    Case(
        "texte_partage.xlsx",
        shared_edit(
            "xl/worksheets/sheet1.xml", lambda d: d.replace(b'<c r="A2" t="s"><v>8</v>', b'<c r="A2" t="s"><v>99</v>')
        ),
        "renvoie au texte partagé n° 99, absent du classeur",
        line=2,
        column="A",
    ),
    Case(
        "style.xlsx",
        sheet_edit(lambda d: d.replace(b'<c r="G2"', b'<c r="G2" s="42"', 1)),
        "a le style n° 42, absent du classeur",
        line=2,
        column="G",
    ),
    Case(
        "dtd.xlsx",
        shared_edit(
            "xl/sharedStrings.xml",
            lambda d: d.replace(b"<sst", b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst', 1),
        ),
        "déclare une DTD ou des entités XML",
    ),
    Case(
        "identifiants_pleine_chasse.csv",
        lambda: staff(
            ["1", "S01", "Chargée", "non", "3000,00", "50"], ["1", "Ｓ０１", "Chargée", "non", "3000,00", "50"]
        ),
        "S01",
        line=3,
    ),
    Case(
        "identifiant_pleine_chasse.csv",
        lambda: one_staff(employee="Ｓ０２"),
        staff=[(1, "S02", Decimal("3000.00"), Decimal("50"))],
    ),
    Case("code_pleine_chasse.csv", lambda: one_value("7").replace(b"TEST;", "ＴＥＳＴ;".encode()), indicators=ok(7)),
    # -- paths
    Case("lien.csv", lambda: one_value("8"), indicators=ok(8), kind="symlink"),
    Case("un_dossier", lambda: b"", "c'est un dossier, pas un fichier", kind="folder"),
    Case("absent.csv", lambda: b"", "aucun fichier à ce chemin", kind="missing"),
    Case("tube.csv", lambda: b"", "c'est un tube (FIFO), pas un fichier ordinaire", kind="fifo"),
    Case("sans_fin.csv", lambda: b"", "c'est un périphérique, pas un fichier ordinaire", kind="device"),
    Case(LONGEST_NAME, lambda: one_value("10"), indicators=ok(10)),
    Case(LONG_NAME, lambda: one_value("9"), "nom de fichier trop long (250 octets, 200 au plus"),
]


def write_corpus(folder: Path) -> None:
    """The byte cases as files (paths of another kind are made by the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        if case.kind == "file":
            (folder / case.name).write_bytes(case.build())


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]))
