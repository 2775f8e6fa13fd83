"""Who is looking, page side, through AppTest (fast; the real sign-in is in tests/e2e/test_browser_connexion.py):
local mode on the loopback only, the sign-in screen alone, a broken roles file closing the app, each role's
navigation, and a lecteur's budget page without any staff identifier."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_truth import staff_lines
from page_runner import APP, TODAY, assert_ran, show_tab
from streamlit import config
from streamlit.testing.v1 import AppTest

from iaedash.ui import LOCAL_MODE, is_loopback

ACCESS = Path(__file__).parent / "data" / "acces.toml"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "0" * 64,
    "client_id": "iaedash-tests",
    "client_secret": "secret-de-test",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLE_PAGES = {
    "lecteur@pasdecalais.fr": [
        "accueil", "indicateurs", "orientations", "territoires", "fiche_reseau", "budget", "budget_reseau",
    ],
    "analyste@pasdecalais.fr": [
        "accueil", "indicateurs", "orientations", "territoires", "fiche_reseau", "budget", "budget_reseau",
        "exports", "bilan_final",
    ],
    "gestionnaire@pasdecalais.fr": [
        "accueil", "indicateurs", "orientations", "territoires", "fiche_reseau", "budget", "budget_reseau",
        "depots", "revue", "journal", "exports", "bilan_final",
    ],
    # in the navigation's sections; its fiche réseau is the page it opens on (test_browser_connexion)
    "contact@reseau-cabm.fr": [
        "indicateurs", "orientations", "territoires", "fiche_reseau", "budget_reseau", "depots", "bilan_final",
    ],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IAEDASH_DB", str(demo_db))
    monkeypatch.setenv("IAEDASH_TODAY", TODAY)
    monkeypatch.setenv("IAEDASH_ACCES", str(ACCESS))


def signed(email: str | None, name: str = "Quelqu'un") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets["auth"] = AUTH
    app.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email, "name": name}
    app.run()
    return app


def pages_of(app: AppTest) -> list[str]:
    """The scripts the navigation registered, in its order (AppTest lists them in its error message only)."""
    with pytest.raises(ValueError, match="Known pages") as error:
        app.switch_page("app.py")  # a script that exists but is no page of the navigation
    known = str(error.value).split("Known pages: ")[1]
    return [p.rsplit("/", 1)[1].removesuffix(".py") for p in known.strip("[]'. ").split("', '")]


BUDGET_TOPICS = ["Mois par mois", "Financement et solde", "Lignes de personnel", "Mode de calcul"]


def each_budget_topic(app: AppTest):
    """The budget detail on each of its tabs in turn: only the open one is built (ui.sections)."""
    for topic in BUDGET_TOPICS:
        yield show_tab(app, "budget_reseau_sujet", topic)


def all_text(app: AppTest) -> str:
    parts = [str(getattr(e, "value", "")) for kind in ("title", "header", "markdown", "caption", "info", "error")
             for e in getattr(app, kind)]  # fmt: skip
    parts += [e.value.to_csv() for e in app.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.0.0.1:8501", True),
        ("localhost:8501", True),
        ("[::1]:8501", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("iaedash.pasdecalais.fr", False),
        ("10.0.0.5:8501", False),
        ("127.0.0.1.example.org", False),
        ("", False),
        (None, False),
    ],
)
def test_only_this_computer_is_the_loopback(host: str | None, expected: bool):
    assert is_loopback(host) is expected


def test_local_mode_says_so_on_every_page():
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert_ran(app)
    assert any(LOCAL_MODE in c.value for c in app.caption)


def test_local_mode_refuses_a_server_listening_on_the_network():
    """Without [auth], `--server.address 0.0.0.0` would open every staff line to the network: refused."""
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        app = AppTest.from_file(APP, default_timeout=60)
        app.run()
    finally:
        config.set_option("server.address", before)
    assert [t.value for t in app.title] == ["iaedash – suivi des têtes de réseaux IAE"]
    assert "Mode local refusé" in app.error[0].value
    assert not app.dataframe and not app.metric


def test_before_sign_in_only_the_sign_in_button():
    app = signed(None)
    assert [b.label for b in app.button] == ["Se connecter"]
    assert not app.sidebar.multiselect and not app.dataframe and not app.metric
    assert "CABM" not in all_text(app)


def test_an_unknown_address_sees_access_denied_and_no_data():
    app = signed("inconnu@exemple.org")
    assert "Accès non autorisé" in app.error[0].value
    assert not app.dataframe and not app.metric and "CABM" not in all_text(app)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[[acces]]\nemail = "a@pasdecalais.fr"\nrole = "lecteur"\n\n[[acces]]\nemail = "b@x.fr"\nrole = "admin"\n', 5),
        ('[[acces]]\nemail = "a@pasdecalais.fr"\nrole = lecteur\n', 3),
    ],
)
def test_a_broken_roles_file_closes_the_app_naming_its_line(tmp_path: Path, monkeypatch, text: str, line: int):
    bad = tmp_path / "acces.toml"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setenv("IAEDASH_ACCES", str(bad))
    app = signed("gestionnaire@pasdecalais.fr")
    assert f"ligne {line}" in app.error[0].value and "l'application reste fermée" in app.error[0].value
    assert not app.dataframe and not app.metric


def test_a_missing_roles_file_closes_the_app(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("IAEDASH_ACCES", str(tmp_path / "absent.toml"))
    app = signed("gestionnaire@pasdecalais.fr")
    assert "introuvable" in app.error[0].value
    assert not app.dataframe and not app.metric


@pytest.mark.parametrize("email", list(ROLE_PAGES))
def test_each_role_is_given_its_pages_only(email: str):
    app = signed(email)
    assert_ran(app)
    assert pages_of(app) == ROLE_PAGES[email]


def test_a_reader_s_budget_detail_has_totals_but_no_staff_identifier():
    employees = {line["employee"] for line in staff_lines() if line["head"] == "CABM"}
    app = signed("lecteur@pasdecalais.fr")
    app.switch_page("pages/budget_reseau.py").run()
    assert_ran(app)
    texts, metrics = [], []
    for _ in each_budget_topic(app):
        texts.append(all_text(app))
        metrics += app.metric
    text = "\n".join(texts)
    assert "ne sont pas ouvertes à votre rôle" in text
    assert not {e for e in employees if f" {e} " in f" {text} " or f"\n{e}," in text}
    assert metrics, "the totals are shown"


def test_a_network_head_account_sees_its_own_staff_lines():
    employees = {line["employee"] for line in staff_lines() if line["head"] == "CABM"}
    app = signed("contact@reseau-cabm.fr")
    app.switch_page("pages/budget_reseau.py").run()
    assert_ran(app)
    tables = [d.value for _ in each_budget_topic(app) for d in app.dataframe]
    listed = set().union(*(set(t.astype(str).to_numpy().ravel()) for t in tables))
    assert employees <= listed
    assert [s.value for s in app.selectbox if s.label == "Tête de réseau"] == ["CABM"]
