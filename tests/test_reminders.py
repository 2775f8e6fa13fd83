"""Reminders to the network heads late or returned for correction: who is reminded (against the manifest and the
call's due dates), the message (an .eml parsed back, a mailto link decoded back), the journal that records it, the
rebuild that keeps it, and who may read or record one."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb
import late_demo
import pytest
from helpers_review import corrected_indicators
from openpyxl import load_workbook
from viewers import ANALYST, CABM, MANAGER, READER

from iaedash import store
from iaedash.access import parse_access
from iaedash.acts import acts_file
from iaedash.domain.access import AccessDenied, Role, Viewer, network_head_addresses
from iaedash.domain.review import ReviewAction
from iaedash.exports import to_french_csv
from iaedash.filters import Filters
from iaedash.ingest.load import import_files
from iaedash.journal import JournalAction, JournalFilter, entries, record, record_reminder
from iaedash.presenters import reminders as remind
from iaedash.presenters.review import journal_table
from iaedash.reports.reminders import Missing, Reminder, Returned, reminders
from iaedash.review import Scope, act
from iaedash.settings import DEFAULT_URL, public_url
from iaedash.templates import XLSX_MIME, submission_template

TODAY = date(2026, 11, 24)
BASE = "https://iaedash.pasdecalais.fr"
KINDS = {Missing.INDICATORS: "indicateurs", Missing.STAFF: "personnel"}
ROLES = parse_access(
    """
[[acces]]
email = "gestionnaire@pasdecalais.fr"
role = "gestionnaire"
[[acces]]
email = "@pasdecalais.fr"
role = "lecteur"
[[acces]]
email = "Direction@Reseau-CABM.fr"
role = "reseau"
reseaux = ["CABM"]
[[acces]]
email = "suivi@reseau-cabm.fr"
role = "reseau"
reseaux = ["CABM", "FEIAL"]
[[acces]]
email = "contact@feial.fr"
role = "analyste"
"""
)
NAMES = {
    "CABM": "Coordination des associations intermédiaires du Bassin minier (fictive)",
    "FEIAL": "Fédération des entreprises d'insertion Artois-Littoral (fictive)",
}


@pytest.fixture(scope="module")
def late_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return late_demo.build(tmp_path_factory.mktemp("relances"))


@pytest.fixture
def late_db(late_template: Path, tmp_path: Path) -> Path:
    """A private copy of the late demo, with FEIAL's T3 returned for correction."""
    (tmp_path / "base").mkdir()
    db = tmp_path / "base" / late_template.name
    shutil.copy(late_template, db)
    shutil.copytree(late_template.parent / "depots", tmp_path / "base" / "depots")
    head, quarter = late_demo.RETURNED
    act(db, MANAGER, Scope(head, 2025, quarter), ReviewAction.RETURN, late_demo.RETURN_REASON)
    return db


def missing_of(found: list[Reminder]) -> dict[tuple[str, int], set[str]]:
    return {(r.network_head, r.quarter): {KINDS[m] for m in r.missing} for r in found if r.missing}


# --- who is reminded ---


@pytest.mark.parametrize(
    "today", [TODAY, date(2026, 1, 15), late_demo.due_date(4), late_demo.due_date(4) + timedelta(1)]
)
def test_the_quarters_overdue_are_those_the_manifest_and_the_due_dates_say(late_db: Path, today: date):
    """Before URQLL's T4 due date (and on it) only CABM's T3 staff costs and ISARR's T2 indicators are overdue."""
    found = reminders(late_db, MANAGER, Filters(2025), today, ROLES)
    assert missing_of(found) == late_demo.expected_missing(today)
    for r in found:
        assert r.due_date == late_demo.due_date(r.quarter)
        assert r.days_overdue == (today - late_demo.due_date(r.quarter)).days
    assert [(r.network_head, r.quarter) for r in found] == sorted((r.network_head, r.quarter) for r in found)


def test_the_expectation_can_tell_the_cases_apart():
    """The late demo has each case: staff only, indicators only, both, and one not yet due on 15/01/2026."""
    now = late_demo.expected_missing(TODAY)
    assert now == {
        ("CABM", 3): {"personnel"},
        ("ISARR", 2): {"indicateurs"},
        ("URQLL", 4): {"indicateurs", "personnel"},
    }
    assert ("URQLL", 4) not in late_demo.expected_missing(date(2026, 1, 15))


def test_a_quarter_returned_for_correction_is_reminded_with_its_reason_until_a_new_version(late_db: Path):
    head, quarter = late_demo.RETURNED
    [returned] = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.returned]
    assert (returned.network_head, returned.quarter, returned.missing) == (head, quarter, ())
    assert returned.returned.reason == late_demo.RETURN_REASON
    assert returned.returned.actor == MANAGER.name
    assert returned.recipients == ("suivi@reseau-cabm.fr",)
    [outcome] = import_files(late_db, [corrected_indicators(head, quarter)], TODAY, viewer=MANAGER)
    assert outcome.status == "accepted"
    assert not [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.returned]


def test_a_quarter_validated_without_its_staff_costs_is_not_reminded(late_db: Path):
    """The Direction accepted it as it is: reminding it would contradict its own act."""
    act(late_db, MANAGER, Scope("CABM", 2025, 3), ReviewAction.VALIDATE)
    found = reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES)
    assert ("CABM", 3) not in missing_of(found)
    assert missing_of(found) == {k: v for k, v in late_demo.expected_missing(TODAY).items() if k != ("CABM", 3)}


def test_the_filter_bar_narrows_the_reminders(late_db: Path):
    found = reminders(late_db, MANAGER, Filters(2025, network_heads=("URQLL", "FEIAL"), quarters=(3, 4)), TODAY, ROLES)
    assert [(r.network_head, r.quarter) for r in found] == [("FEIAL", 3), ("URQLL", 4)]
    assert reminders(late_db, MANAGER, Filters(2025, quarters=(1,)), TODAY, ROLES) == []


def test_the_demo_itself_has_nothing_to_remind(demo_db: Path):
    assert reminders(demo_db, MANAGER, Filters(2025), TODAY, ROLES) == []


def test_recipients_are_the_exact_reseau_addresses_of_the_roles_file():
    assert network_head_addresses(ROLES, "CABM") == ("direction@reseau-cabm.fr", "suivi@reseau-cabm.fr")
    assert network_head_addresses(ROLES, "FEIAL") == ("suivi@reseau-cabm.fr",)  # an analyste's address is not one
    assert network_head_addresses(ROLES, "URQLL") == ()
    assert network_head_addresses([], "CABM") == ()


# --- who may read and record them ---


@pytest.mark.parametrize("viewer", [READER, ANALYST, CABM], ids=lambda v: v.role.value)
def test_only_the_direction_s_gestionnaires_read_reminders(late_db: Path, viewer: Viewer):
    with pytest.raises(AccessDenied):
        reminders(late_db, viewer, Filters(2025), TODAY, ROLES)


@pytest.mark.parametrize("viewer", [READER, ANALYST, CABM], ids=lambda v: v.role.value)
def test_only_the_direction_s_gestionnaires_record_reminders(late_db: Path, viewer: Viewer):
    before = acts_file(late_db).read_bytes()
    with pytest.raises(AccessDenied):
        record_reminder(late_db, viewer, "CABM", 2025, 3, "à : x ; objet : y")
    with pytest.raises(AccessDenied):  # nor through the journal's general entry
        record(late_db, viewer, JournalAction.REMINDER, "à : x", network_head="CABM", year=2025, quarter=3)
    with pytest.raises(AccessDenied):
        record(
            late_db, None, JournalAction.REMINDER, "à : x", network_head="CABM", year=2025, quarter=3, email="a@b.fr"
        )
    assert acts_file(late_db).read_bytes() == before
    con = duckdb.connect(str(late_db), read_only=True)
    try:
        assert con.execute("select count(*) from journal_events where action = 'relance'").fetchone() == (0,)
    finally:
        con.close()


def test_the_local_mode_may_remind(late_db: Path):
    local = Viewer.local_user()
    assert local.may_remind and local.role is Role.MANAGER
    assert missing_of(reminders(late_db, local, Filters(2025), TODAY)) == late_demo.expected_missing(TODAY)


# --- the journal records it, the rebuild keeps it ---


def test_a_reminder_is_in_the_journal_its_csv_and_beside_the_late_network_head(late_db: Path):
    [cabm] = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.network_head == "CABM"]
    assert cabm.last is None
    message = remind.message(cabm, BASE, attached=True)
    first, second = datetime(2026, 11, 20, 9, 5), datetime(2026, 11, 24, 14, 30)
    record_reminder(late_db, MANAGER, "CABM", 2025, 3, remind.journal_detail(message, remind.Channel.EML), at=first)
    other = Viewer(Role.MANAGER, "autre@pasdecalais.fr", "Claude Gestion")
    record_reminder(late_db, other, "CABM", 2025, 3, remind.journal_detail(message, remind.Channel.MAILTO), at=second)

    journal = entries(late_db, MANAGER, JournalFilter(actions=("relance",)))
    assert len(journal) == 2
    latest = journal.iloc[0]
    assert (latest["network_head"], latest["year"], latest["quarter"]) == ("CABM", 2025, 3)
    assert latest["actor_name"] == "Claude Gestion"
    assert latest["detail"] == (
        "marquée envoyée (lien de messagerie) ; à : direction@reseau-cabm.fr, suivi@reseau-cabm.fr ; "
        "objet : Relance : dépenses de personnel du T3 2025 attendues – CABM"
    )
    assert journal.iloc[1]["detail"].startswith("message .eml téléchargé ; à : direction@reseau-cabm.fr")
    table = journal_table(journal)
    assert list(table["Action"]) == ["relance", "relance"]
    assert list(table["Trimestre"]) == ["T3", "T3"]
    csv = to_french_csv(table).decode("utf-8-sig")
    assert "relance" in csv and "Relance : dépenses de personnel du T3 2025 attendues – CABM" in csv

    [cabm] = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.network_head == "CABM"]
    assert (cabm.last.at, cabm.last.actor, cabm.last.count) == (second, "Claude Gestion", 2)
    assert remind.last_text(cabm) == (
        "Dernière relance le 24/11/2026 à 14:30 par Claude Gestion (gestionnaire) · 2 relances en tout."
    )
    others = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.network_head != "CABM"]
    assert all(r.last is None for r in others) and remind.last_text(others[0]) == "Pas encore relancé."


def test_the_rebuild_keeps_the_reminders(late_db: Path):
    [cabm] = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.network_head == "CABM"]
    detail = remind.journal_detail(remind.message(cabm, BASE, attached=True), remind.Channel.EML)
    record_reminder(late_db, MANAGER, "CABM", 2025, 3, detail, at=datetime(2026, 11, 24, 10, 0))
    before = entries(late_db, MANAGER, JournalFilter(actions=("relance",)))
    store.rebuild(late_db)
    after = entries(late_db, MANAGER, JournalFilter(actions=("relance",)))
    assert after.to_dict("records") == before.to_dict("records") and len(after) == 1
    late_db.unlink()  # the database lost: the kept files and the acts file give it back, reminder included
    store.rebuild(late_db)
    assert entries(late_db, MANAGER, JournalFilter(actions=("relance",))).to_dict("records") == before.to_dict(
        "records"
    )
    [cabm] = [r for r in reminders(late_db, MANAGER, Filters(2025), TODAY, ROLES) if r.network_head == "CABM"]
    assert cabm.last.at == datetime(2026, 11, 24, 10, 0) and cabm.last.actor == MANAGER.name


# --- the message ---


def reminder(**change) -> Reminder:
    base = dict(
        network_head="CABM",
        name=NAMES["CABM"],
        year=2025,
        quarter=3,
        due_date=late_demo.due_date(3),
        days_overdue=25,
        missing=(Missing.INDICATORS, Missing.STAFF),
        returned=None,
        recipients=("direction@reseau-cabm.fr", "suivi@reseau-cabm.fr"),
        last=None,
    )
    return Reminder(**{**base, **change})


def test_the_eml_parses_back_with_its_headers_text_and_template():
    r = reminder()
    message = remind.message(r, BASE, attached=True)
    template = submission_template("CABM", NAMES["CABM"], 2025, 3)
    at = datetime(2026, 11, 24, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    raw = remind.eml(message, r, template, MANAGER, at)

    assert raw.isascii(), "headers and body are encoded for any mail server (RFC 2047, quoted-printable)"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings (RFC 5322)"
    parsed = BytesParser(policy=default).parsebytes(raw)
    assert parsed["Subject"] == "Relance : dépôt du T3 2025 attendu – CABM"
    assert parsed["To"] == "direction@reseau-cabm.fr, suivi@reseau-cabm.fr"
    assert parsed["From"].addresses[0].addr_spec == MANAGER.email
    assert parsed["From"].addresses[0].display_name == MANAGER.name
    assert parsed["Date"].datetime == at
    assert parsed["X-Unsent"] == "1"
    assert parsed.get_content_type() == "multipart/mixed"

    text = parsed.get_body(("plain",))
    assert text.get_content_charset() == "utf-8" and text["Content-Language"] == "fr"
    body = text.get_content()
    due = late_demo.due_date(3)
    assert "T3 2025 (juillet à septembre 2025)" in body
    assert f"au plus tard le {due:%d/%m/%Y}" in body and "30/10/2025" in body
    assert "les six indicateurs du trimestre" in body and "le coût mensuel du personnel" in body
    assert NAMES["CABM"] in body and "Contrepartie FSE+" in body
    assert "joint à ce message" in body
    assert f"{BASE}/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true" in body.splitlines()

    [attachment] = list(parsed.iter_attachments())
    assert attachment.get_content_type() == XLSX_MIME
    assert attachment.get_filename() == "modele_depot_CABM_2025_T3.xlsx"
    book = load_workbook(io.BytesIO(attachment.get_content()))
    assert book.sheetnames == ["instructions", "indicateurs", "personnel"]
    assert str(book["instructions"]["A1"].value).startswith("Modèle de dépôt trimestriel — CABM")
    assert "T3 2025" in str(book["instructions"]["A1"].value)
    rows = list(book["indicateurs"].iter_rows(min_row=2, values_only=True))
    header = [c.value for c in book["indicateurs"][1]]
    filled = [dict(zip(header, row, strict=True)) for row in rows if any(v is not None for v in row)]
    assert filled and {(row["reseau"], row["annee"], row["trimestre"]) for row in filled} == {("CABM", 2025, "T3")}


def test_the_eml_without_an_address_has_no_recipient_and_no_sender_in_local_mode():
    r = reminder(recipients=())
    raw = remind.eml(remind.message(r, BASE, attached=True), r, b"PK", Viewer.local_user(), datetime(2026, 11, 24))
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["To"] is None and parsed["From"] is None
    assert parsed["Subject"] == "Relance : dépôt du T3 2025 attendu – CABM"


@pytest.mark.parametrize(
    ("missing", "returned", "subject", "says", "not_says"),
    [
        ((Missing.STAFF,), None, "Relance : dépenses de personnel du T3 2025 attendues – CABM",
         ["le coût mensuel du personnel"], ["les six indicateurs", "renvoyé"]),
        ((Missing.INDICATORS,), None, "Relance : dépôt du T3 2025 attendu – CABM",
         ["les six indicateurs du trimestre"], ["le coût mensuel", "renvoyé"]),
        ((), Returned(datetime(2025, 11, 3, 9), "Dominique Leroy", "Valeur PRO × FORM à revoir"),
         "Relance : correction du dépôt du T3 2025 attendue – CABM",
         ["renvoyé pour correction le 03/11/2025", "« Valeur PRO × FORM à revoir »", "version corrigée"],
         ["Il nous manque"]),
        ((Missing.STAFF,), Returned(datetime(2025, 11, 3, 9), "Dominique Leroy", "Valeur à revoir"),
         "Relance : correction et dépenses de personnel du T3 2025 attendues – CABM",
         ["le coût mensuel du personnel", "Par ailleurs, ce dépôt vous a été renvoyé", "« Valeur à revoir »"],
         ["les six indicateurs"]),
    ],
)  # fmt: skip
def test_the_message_says_what_is_missing_or_to_correct(missing, returned, subject, says, not_says):
    message = remind.message(reminder(missing=missing, returned=returned), BASE, attached=True)
    assert message.subject == subject
    for text in says:
        assert text in message.body
    for text in not_says:
        assert text not in message.body


def test_the_mailto_link_decodes_back_to_the_same_subject_and_body():
    r = reminder(returned=Returned(datetime(2025, 11, 3, 9), "Dominique Leroy", "Motif : « PRO » & FORM = 12 ?"))
    message = remind.message(r, BASE, attached=False)
    url = remind.mailto_url(message)
    assert url.isascii() and " " not in url
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    assert unquote(parts.path).split(",") == list(r.recipients)
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["subject"] == [message.subject]
    assert query["body"] == [message.body.replace("\n", "\r\n")]
    assert "« Motif : « PRO » & FORM = 12 ? »" in message.body
    assert "est sur la page Dépôts" in message.body and "joint" not in message.body  # no file in a mailto
    assert f"{BASE}/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true" in message.body


def test_a_mailto_without_any_address_opens_without_a_recipient():
    url = remind.mailto_url(remind.message(reminder(recipients=()), BASE, attached=False))
    assert url.startswith("mailto:?subject=")


def test_a_long_mailto_is_shortened_to_stay_openable_while_the_eml_keeps_everything():
    long = reminder(
        network_head="FEDERATIONREGIONALE",
        name="Fédération régionale des entreprises d'insertion et de travail temporaire d'insertion, Hauts-de-France",
        missing=(Missing.STAFF,),
        returned=Returned(datetime(2025, 11, 3, 9), "Dominique Leroy", "é" * 2000),
        recipients=tuple(f"destinataire.numero{i}@federation-regionale-hauts-de-france.fr" for i in range(3)),
    )
    short = remind.message(long, BASE, attached=False)
    assert len(remind.mailto_url(short)) <= remind.MAILTO_MAX_CHARS
    assert "le coût mensuel du personnel" in short.body and short.link in short.body
    whole = remind.message(long, BASE, attached=True)
    assert "é" * 2000 in whole.body and long.name in whole.body
    ordinary = remind.message(reminder(), BASE, attached=False)
    assert NAMES["CABM"] in ordinary.body, "an ordinary reminder fits whole"


def test_the_screen_escapes_what_people_typed():
    r = reminder(name="Réseau *gras* [lien](x)", returned=Returned(datetime(2025, 11, 3), "A_B", "$x$ <b>"))
    assert "\\*gras\\* \\[lien\\](x)" in remind.heading(r)
    line = remind.reason_lines(r)[-1]
    assert "\\$x\\$ \\<b\\>" in line and "A\\_B" in line


@pytest.mark.parametrize(
    ("env", "redirect", "expected"),
    [
        (None, None, DEFAULT_URL),
        (None, "https://iaedash.pasdecalais.fr/oauth2callback", "https://iaedash.pasdecalais.fr"),
        (None, "https://exemple.fr/iaedash/oauth2callback", "https://exemple.fr/iaedash"),
        ("https://suivi-iae.pasdecalais.fr/", "https://iaedash.pasdecalais.fr/oauth2callback", "https://suivi-iae.pasdecalais.fr"),
    ],
)  # fmt: skip
def test_the_public_address_of_the_links(monkeypatch: pytest.MonkeyPatch, env, redirect, expected):
    if env is None:
        monkeypatch.delenv("IAEDASH_URL", raising=False)
    else:
        monkeypatch.setenv("IAEDASH_URL", env)
    assert public_url(redirect) == expected
