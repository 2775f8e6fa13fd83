"""Vue d'ensemble, « Relances » (AppTest): the quarters to remind on the late demo, a reminder marked as sent and
shown beside its network head, the message's links, the Dépôts page its link opens, and who sees the section."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import late_demo
import pytest
from page_runner import APP, TODAY, assert_ran, open_page, show_tab
from streamlit.testing.v1 import AppTest
from viewers import MANAGER

from iaedash.domain.review import ReviewAction
from iaedash.journal import JournalFilter, entries
from iaedash.review import Scope, act

ACCESS = Path(__file__).parent / "data" / "acces.toml"  # CABM's contact: contact@reseau-cabm.fr
AUTH = {
    "redirect_uri": "https://iaedash.pasdecalais.fr/oauth2callback",
    "cookie_secret": "0" * 64,
    "client_id": "iaedash-tests",
    "client_secret": "secret-de-test",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
SECTION = "Relances"


@pytest.fixture(scope="module")
def late_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return late_demo.build(tmp_path_factory.mktemp("relances-page"))


@pytest.fixture
def late_db(late_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "base").mkdir()
    db = tmp_path / "base" / late_template.name
    shutil.copy(late_template, db)
    shutil.copytree(late_template.parent / "depots", tmp_path / "base" / "depots")
    head, quarter = late_demo.RETURNED
    act(db, MANAGER, Scope(head, 2025, quarter), ReviewAction.RETURN, late_demo.RETURN_REASON)
    monkeypatch.setenv("IAEDASH_DB", str(db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    monkeypatch.setenv("IAEDASH_ACCES", str(ACCESS))
    monkeypatch.delenv("IAEDASH_URL", raising=False)
    return db


def expected_cards() -> list[str]:
    """« **CABM** … – **T3 2025** » for each quarter the files and due dates leave to remind, and the return."""
    today = date.fromisoformat(TODAY)
    scopes = set(late_demo.expected_missing(today)) | {late_demo.RETURNED}
    return [f"{head} T{quarter}" for head, quarter in sorted(scopes)]


def cards(app: AppTest) -> list[str]:
    out = []
    for m in app.markdown:
        if m.value.startswith("**") and "– **T" in m.value:
            head = m.value.split("**")[1]
            quarter = m.value.split("– **T")[1].split(" ")[0]
            out.append(f"{head} T{quarter}")
    return out


def signed(email: str, **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": True, "email": email, "name": "Dominique Leroy"}
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert_ran(app)
    return app


def test_the_section_lists_the_quarters_to_remind_and_records_one_marked_as_sent(late_db: Path):
    app = open_page(annee="2025", accueil_sujet=SECTION)
    assert [t.label for t in app.tabs] == ["Indicateurs", "Complétude des dépôts", "Alertes", SECTION]
    assert cards(app) == expected_cards()
    text = "\n".join(m.value for m in app.markdown)
    assert "**4** relances à faire : 3 dépôts manquants ou incomplets · 1 renvoyé pour correction" in text
    assert "À : `contact@reseau-cabm.fr`" in text
    no_address = [w.value for w in app.warning if "aucune adresse connue dans le fichier des accès" in w.value]
    assert len(no_address) == 3  # ISARR, FEIAL, URQLL have no `reseau` entry in the tests' roles file
    assert [c.value for c in app.caption].count("Pas encore relancé.") == 4
    assert [b.label for b in app.get("download_button")] == ["Télécharger le message (.eml)"] * 4

    app.button(key="relance_CABM_2025_3_envoyee").click().run()
    assert_ran(app)
    assert "Relance marquée comme envoyée : relance de CABM pour le T3 2025 inscrite au Journal." in [
        s.value for s in app.success
    ]
    last = [c.value for c in app.caption if c.value.startswith("Dernière relance le ")]
    assert len(last) == 1 and last[0].endswith(" par Poste local (gestionnaire).")
    [entry] = entries(late_db, MANAGER, JournalFilter(actions=("relance",))).to_dict("records")
    assert (entry["network_head"], entry["year"], entry["quarter"], entry["actor_name"]) == (
        "CABM",
        2025,
        3,
        "Poste local",
    )
    assert entry["detail"] == (
        "marquée envoyée (lien de messagerie) ; à : contact@reseau-cabm.fr ; "
        "objet : Relance : dépenses de personnel du T3 2025 attendues – CABM"
    )


def test_the_mailto_links_carry_the_message_and_the_dépôts_link(late_db: Path):
    app = open_page(annee="2025", accueil_sujet=SECTION)
    links = {urlsplit(b.proto.url).path: b.proto.url for b in app.get("link_button")}
    cabm = urlsplit(links["contact@reseau-cabm.fr"])
    query = parse_qs(cabm.query)
    assert query["subject"] == ["Relance : dépenses de personnel du T3 2025 attendues – CABM"]
    assert "http://localhost:8501/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true" in query["body"][0]
    assert "" in links  # the other three: no recipient known
    assert any(c.value.startswith("Le lien des messages mène à ce poste") for c in app.caption)


def test_the_link_opens_the_dépôts_page_on_the_quarter_s_template(late_db: Path):
    app = open_page("pages/depots.py", annee="2025", reseau="CABM", trimestre="T3", modele="true")
    [panel] = app.expander
    assert panel.label == "Modèle de dépôt à remplir" and panel.proto.expanded
    chosen = {s.key: s.value for s in app.selectbox}
    assert (chosen["modele_reseau"], chosen["modele_annee"], chosen["modele_trimestre"]) == ("CABM", 2025, 3)
    closed = open_page("pages/depots.py")
    assert not closed.expander[0].proto.expanded


def test_without_a_roles_file_the_local_mode_says_no_address_is_known(late_db: Path, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("IAEDASH_ACCES", str(tmp_path / "absent.toml"))
    app = open_page(annee="2025", accueil_sujet=SECTION)
    assert cards(app) == expected_cards()
    assert len([w for w in app.warning if "aucune adresse connue dans le fichier des accès" in w.value]) == 4


def test_the_demo_has_nothing_to_remind(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    app = open_page(annee="2025", accueil_sujet=SECTION)
    assert any(s.value.startswith("Aucune relance à faire") for s in app.success)
    assert not app.get("download_button")


def test_a_signed_in_gestionnaire_s_links_use_the_app_s_public_address(late_db: Path):
    app = signed("gestionnaire@pasdecalais.fr", annee="2025", accueil_sujet=SECTION)
    assert cards(app) == expected_cards()
    [cabm] = [b.proto.url for b in app.get("link_button") if "contact@reseau-cabm.fr" in b.proto.url]
    body = parse_qs(urlsplit(cabm).query)["body"][0]
    assert "https://iaedash.pasdecalais.fr/depots?annee=2025&reseau=CABM&trimestre=T3&modele=true" in body
    assert not any(c.value.startswith("Le lien des messages mène à") for c in app.caption)


@pytest.mark.parametrize("email", ["lecteur@pasdecalais.fr", "analyste@pasdecalais.fr"])
def test_a_reader_or_an_analyst_has_no_reminders_even_by_a_typed_link(late_db: Path, email: str):
    app = signed(email, accueil_sujet=SECTION)
    assert SECTION not in [t.label for t in app.tabs]
    assert not cards(app) and not app.get("link_button") and not app.get("download_button")
    text = "\n".join(str(e.value) for kind in ("markdown", "caption", "warning", "header") for e in getattr(app, kind))
    assert "contact@reseau-cabm.fr" not in text and "Relance" not in text


def test_meeting_mode_never_shows_the_addresses(late_db: Path):
    app = open_page(reunion="true")
    assert SECTION not in app.segmented_control(key="accueil_sujet").options
    app = show_tab(app, "accueil_sujet", "Alertes")
    assert "contact@reseau-cabm.fr" not in "\n".join(m.value for m in app.markdown)


def test_a_long_list_shows_its_first_reminders_and_says_how_many_are_left(late_db: Path, monkeypatch):
    from iaedash.presenters import reminders as remind

    monkeypatch.setattr(remind, "MAX_SHOWN", 3)
    app = open_page(annee="2025", accueil_sujet=SECTION)
    assert cards(app) == expected_cards()[:3]
    assert "**4** relances à faire" in "\n".join(m.value for m in app.markdown)
    assert [i.value for i in app.info] == [
        "1 autre relance n'est pas affichée : choisissez des têtes de réseaux ou des trimestres dans les filtres "
        "pour la voir."
    ]


def test_a_reminder_not_recorded_because_the_database_is_held_says_so(late_db: Path, monkeypatch):
    """An import of another process holding the file too long: a French error on the page, nothing recorded."""
    from test_concurrency import hold

    app = open_page(annee="2025", accueil_sujet=SECTION)
    monkeypatch.setenv("IAEDASH_LOCK_TIMEOUT", "0.5")
    holder = hold(late_db, "rw", 20)
    try:
        app.button(key="relance_CABM_2025_3_envoyee").click().run()
    finally:
        holder.kill()
        holder.wait()
    assert_ran(app)
    [error] = [e.value for e in app.error]
    assert error.startswith("Relance de CABM pour le T3 2025 non inscrite au Journal : ")
    assert entries(late_db, MANAGER, JournalFilter(actions=("relance",))).empty


def test_the_demo_s_year_in_progress_has_its_late_network_head_ready_to_remind(demo_db: Path, monkeypatch):
    """On the plain demo, 2026 by default: the one quarter whose due date (the 2026 call's delay after its end) has
    passed without its files — worked out here from the manifest — has its reminder ready."""
    import tomllib

    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    monkeypatch.setenv("IAEDASH_ACCES", str(ACCESS))
    with (Path(__file__).parents[1] / "data" / "appels" / "2026.toml").open("rb") as handle:
        delay = tomllib.load(handle)["delai_depot_jours"]
    ends = {1: date(2026, 3, 31), 2: date(2026, 6, 30), 3: date(2026, 9, 30), 4: date(2026, 12, 31)}
    truth = late_demo.truth
    sent = {(p.name.split("_")[0], int(p.name.split("_")[2][1])) for p, _ in truth.manifest() if "_2026_T" in p.name}
    heads = sorted(r["reseau"] for r in truth._sheets(truth.DEMO / "conventions_2026.csv")["conventions"])
    overdue = [q for q in ends if ends[q] + timedelta(days=delay) < date.fromisoformat(TODAY)]
    expected = [f"{h} T{q}" for h in heads for q in overdue if (h, q) not in sent]
    assert expected == ["CABM T3"]
    app = open_page(accueil_sujet=SECTION)
    assert cards(app) == expected
    assert app.get("download_button") and "contact@reseau-cabm.fr" in "\n".join(m.value for m in app.markdown)
