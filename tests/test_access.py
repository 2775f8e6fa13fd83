"""The roles file and the rules of who may see and do what (sign-in roles).

Expected lines are found in the test's own text, never taken from the parser: a message that names the
wrong line fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iaedash.access import AccessFileError, load_access, parse_access
from iaedash.domain.access import Page, Role, Viewer, resolve

ROOT = Path(__file__).resolve().parents[1]
TEST_FILE = ROOT / "tests" / "data" / "acces.toml"
EXAMPLE_FILE = ROOT / "data" / "acces.exemple.toml"

ROLES = """\
# comment lines count: the messages name lines of the file as written
[[acces]]
email = "@pasdecalais.fr"
role = "lecteur"

[[acces]]
email = "Gestionnaire@PasDeCalais.fr"
role = "gestionnaire"

[[acces]]
email = "analyste@pasdecalais.fr"
role = "analyste"

[[acces]]
email = "contact@reseau-cabm.fr"
role = "reseau"
reseaux = ["cabm", "FEIAL"]
"""


def line_of(text: str, fragment: str) -> int:
    """1-based line of the only line of `text` that contains `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


def entry_line(text: str, fragment: str) -> int:
    """The `[[acces]]` header line of the entry that holds `fragment`: the nearest header above it."""
    lines = text.splitlines()
    n = line_of(text, fragment)
    while lines[n - 1].strip() != "[[acces]]":
        n -= 1
        assert n > 0, fragment
    return n


# --- resolve: which entry an address gets ---


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        # exact address beats its domain, whatever the case on either side and whatever the order in the file
        ("gestionnaire@pasdecalais.fr", Role.MANAGER),
        ("GESTIONNAIRE@pasdecalais.FR", Role.MANAGER),
        ("  gestionnaire@pasdecalais.fr  ", Role.MANAGER),
        ("Analyste@PasDeCalais.fr", Role.ANALYST),
        # the domain entry
        ("agent.quelconque@pasdecalais.fr", Role.READER),
        ("Agent.Quelconque@PASDECALAIS.fr", Role.READER),
        # the reseau entry
        ("contact@reseau-cabm.fr", Role.NETWORK),
        # unknown: no entry, never a default role
        ("autre@reseau-cabm.fr", None),
        ("quelquun@ailleurs.fr", None),
        # a domain matches that domain only: not a subdomain, nor an address holding it elsewhere
        ("agent@sub.pasdecalais.fr", None),
        ("agent@faux-pasdecalais.fr", None),
        ("agent@evilpasdecalais.fr", None),
        ("pasdecalais.fr@evil.com", None),
        ("agent@pasdecalais.fr.evil.com", None),
        ("agent@pasdecalais.fr@evil.com", None),
        ("agent@evil.com@pasdecalais.fr", None),
        # not an address
        ("", None),
        (None, None),
        ("pasdecalais.fr", None),
    ],
)
def test_resolve_gives_the_most_specific_entry(email: str | None, expected: Role | None):
    rules = parse_access(ROLES)
    viewer = resolve(rules, email, "Nom Affiché")
    assert (viewer.role if viewer else None) is expected
    # the order of the entries does not matter: the exact address wins wherever it stands
    reordered = resolve(list(reversed(rules)), email, "Nom Affiché")
    assert (reordered.role if reordered else None) is expected


def test_a_resolved_viewer_carries_its_address_name_and_network_heads():
    rules = parse_access(ROLES)
    cabm = resolve(rules, " Contact@Reseau-CABM.fr ", " Camille Petit ")
    assert cabm == Viewer(Role.NETWORK, "contact@reseau-cabm.fr", "Camille Petit", frozenset({"CABM", "FEIAL"}))
    reader = resolve(rules, "agent@pasdecalais.fr")
    assert reader == Viewer(Role.READER, "agent@pasdecalais.fr", "agent@pasdecalais.fr", None)  # name: the address
    assert not reader.restricted and cabm.restricted


def test_the_tests_roles_file_gives_the_viewers_of_the_tests():
    from viewers import ANALYST, CABM, MANAGER, READER

    rules = load_access(TEST_FILE)
    for viewer in (MANAGER, ANALYST, READER, CABM):
        found = resolve(rules, viewer.email, viewer.name)
        assert found == viewer


def test_the_example_roles_file_parses():
    rules = load_access(EXAMPLE_FILE)
    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    assert len(rules) == text.count("[[acces]]") == 4
    assert resolve(rules, "gestionnaire@pasdecalais.fr").role is Role.MANAGER
    assert resolve(rules, "analyste@pasdecalais.fr").role is Role.ANALYST
    assert resolve(rules, "n.importe.qui@pasdecalais.fr").role is Role.READER
    cabm = resolve(rules, "contact@reseau-cabm.fr")
    assert (cabm.role, cabm.network_heads) == (Role.NETWORK, frozenset({"CABM"}))
    for rule in rules:  # each rule knows where it starts
        assert text.splitlines()[rule.line - 1].strip() == "[[acces]]"


# --- the roles file: every unclear entry is an error naming its line ---

HEAD = '[[acces]]\nemail = "gestionnaire@pasdecalais.fr"\nrole = "gestionnaire"\n\n'


@pytest.mark.parametrize(
    ("entry", "marker", "says"),
    [
        ('email = "x@reseau.fr"\nrole = "reseau"\n', 'email = "x@reseau.fr"', "demande la liste de ses réseaux"),
        ('email = "x@reseau.fr"\nrole = "reseau"\nreseaux = []\n', "reseaux = []", "demande la liste"),
        ('email = "x@reseau.fr"\nrole = "reseau"\nreseaux = "CABM"\n', 'reseaux = "CABM"', "demande la liste"),
        ('email = "x@reseau.fr"\nrole = "reseau"\nreseaux = [1]\n', "reseaux = [1]", "demande la liste"),
        ('email = "x@reseau.fr"\nrole = "reseau"\nreseaux = ["CA BM"]\n', '"CA BM"', "« CA BM » invalide"),
        (
            'email = "@reseau-cabm.fr"\nrole = "reseau"\nreseaux = ["CABM"]\n',
            'email = "@reseau-cabm.fr"',
            "un domaine entier ne peut pas recevoir le rôle « reseau »",
        ),
        (
            'email = "x@pasdecalais.fr"\nrole = "analyste"\nreseaux = ["CABM"]\n',
            'email = "x@pasdecalais.fr"',
            "« reseaux » ne vaut que pour le rôle « reseau »",
        ),
        ('email = "x@pasdecalais.fr"\nrole = "admin"\n', 'role = "admin"', "rôle « admin » inconnu"),
        ('email = "x@pasdecalais.fr"\n', 'email = "x@pasdecalais.fr"', "« role » manque"),
        (
            'email = "x@pasdecalais.fr"\nrole = "lecteur"\nmotdepasse = "x"\n',
            "motdepasse",
            "clé inconnue « motdepasse »",
        ),
        ('role = "lecteur"\n', 'role = "lecteur"', "« email » manque"),
        ('email = "pas-une-adresse"\nrole = "lecteur"\n', "pas-une-adresse", "n'est ni une adresse ni un domaine"),
        ('email = "a@b@c.fr"\nrole = "lecteur"\n', "a@b@c.fr", "n'est ni une adresse ni un domaine"),
    ],
)
def test_an_unclear_entry_is_refused_at_its_line(entry: str, marker: str, says: str):
    text = HEAD + "# une entrée fautive\n[[acces]]\n" + entry
    expected = entry_line(text, marker)
    with pytest.raises(AccessFileError) as error:
        parse_access(text, "acces.toml")
    message = str(error.value)
    assert message.startswith(f"acces.toml, ligne {expected} : "), message
    assert expected > 4  # not the first entry's line: the faulty one's
    assert says in message


def test_a_duplicate_entry_names_both_lines_whatever_the_case():
    text = ROLES + '\n[[acces]]\nemail = "ANALYSTE@pasdecalais.fr"\nrole = "lecteur"\n'
    first = entry_line(text, 'email = "analyste@pasdecalais.fr"')
    second = entry_line(text, 'email = "ANALYSTE@pasdecalais.fr"')
    with pytest.raises(AccessFileError) as error:
        parse_access(text, "acces.toml")
    message = str(error.value)
    assert message.startswith(f"acces.toml, ligne {second} : ")
    assert f"figure déjà à la ligne {first}" in message
    # two entries for one domain are a duplicate too
    domains = ROLES + '\n[[acces]]\nemail = "@PasDeCalais.fr"\nrole = "analyste"\n'
    again = entry_line(domains, 'email = "@PasDeCalais.fr"')
    with pytest.raises(AccessFileError, match=f"ligne {again} :"):
        parse_access(domains)


@pytest.mark.parametrize(
    ("bad_line", "fragment"),
    [
        ('role = "lecteur', 'role = "lecteur'),  # unterminated string
        ("role = = 3", "role = = 3"),
        ('role = "lecteur"\nrole = "analyste"', 'role = "analyste"'),  # a key given twice
    ],
)
def test_malformed_toml_names_its_line(bad_line: str, fragment: str):
    text = HEAD + '[[acces]]\nemail = "x@pasdecalais.fr"\n' + bad_line + "\n"
    expected = line_of(text, fragment)
    with pytest.raises(AccessFileError) as error:
        parse_access(text, "acces.toml")
    message = str(error.value)
    assert message.startswith(f"acces.toml, ligne {expected}, colonne "), message
    assert "n'est pas un TOML valide" in message


@pytest.mark.parametrize(
    ("extra", "header", "name"),
    [
        ('\n[auth]\nredirect_uri = "x"\n', "[auth]", "auth"),
        ('\n[[admins]]\nemail = "x@pasdecalais.fr"\n', "[[admins]]", "admins"),
        ("\n[reglages.connexion]\nactif = true\n", "[reglages.connexion]", "reglages"),
    ],
)
def test_an_unknown_section_is_refused_at_its_line(extra: str, header: str, name: str):
    text = ROLES + extra
    with pytest.raises(AccessFileError) as error:
        parse_access(text, "acces.toml")
    message = str(error.value)
    assert message.startswith(f"acces.toml, ligne {line_of(text, header)} : "), message
    assert f"section inconnue « {name} »" in message


def test_a_top_level_key_is_refused_at_its_line():
    text = 'defaut = "lecteur"\n' + ROLES
    with pytest.raises(AccessFileError, match=r"^acces\.toml, ligne 1 : section inconnue « defaut »"):
        parse_access(text, "acces.toml")


def test_an_empty_file_gives_no_access_at_all():
    assert parse_access("# personne\n") == []
    assert resolve(parse_access(""), "gestionnaire@pasdecalais.fr") is None


def test_a_missing_file_is_an_error_never_open_access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    missing = tmp_path / "acces.toml"
    with pytest.raises(AccessFileError, match="fichier des accès introuvable"):
        load_access(missing)
    monkeypatch.setenv("IAEDASH_ACCES", str(missing))  # the default path comes from the environment
    with pytest.raises(AccessFileError, match=str(missing)):
        load_access()
    missing.write_bytes(b"\xff\xfe email")  # not UTF-8
    with pytest.raises(AccessFileError, match="illisible"):
        load_access()


def test_the_file_named_in_the_environment_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    chosen = tmp_path / "autres_acces.toml"
    chosen.write_text('[[acces]]\nemail = "seul@ailleurs.fr"\nrole = "analyste"\n', encoding="utf-8")
    monkeypatch.setenv("IAEDASH_ACCES", str(chosen))
    [rule] = load_access()
    assert (rule.pattern, rule.role, rule.line) == ("seul@ailleurs.fr", Role.ANALYST, 1)


# --- the viewer's rules ---

DASHBOARDS = {
    Page.OVERVIEW,
    Page.INDICATORS,
    Page.ORIENTATIONS,
    Page.TERRITORIES,
    Page.NETWORK_HEAD,
    Page.BUDGET,
    Page.BUDGET_DETAIL,
}
# The pages of each role as the issue lists them (not read from PAGES).
OPENS = {
    Role.READER: DASHBOARDS,
    Role.ANALYST: DASHBOARDS | {Page.EXPORTS, Page.FINAL_REPORT},
    Role.MANAGER: DASHBOARDS | {Page.EXPORTS, Page.FINAL_REPORT, Page.SUBMISSIONS, Page.REVIEW, Page.JOURNAL},
    Role.NETWORK: {
        Page.NETWORK_HEAD,
        Page.INDICATORS,
        Page.ORIENTATIONS,
        Page.TERRITORIES,
        Page.BUDGET_DETAIL,
        Page.SUBMISSIONS,
        Page.FINAL_REPORT,
    },
}


def _viewer(role: Role) -> Viewer:
    heads = frozenset({"CABM"}) if role is Role.NETWORK else None
    return Viewer(role, f"{role.value}@exemple.fr", role.value, heads)


@pytest.mark.parametrize("page", list(Page), ids=lambda p: p.value)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_may_open_the_pages_of_its_role(role: Role, page: Page):
    assert _viewer(role).may_open(page) is (page in OPENS[role])


def test_a_local_user_is_a_manager_and_the_cli_too():
    assert Viewer.local_user().role is Role.MANAGER and Viewer.local_user().local
    operator = Viewer.operator("jdupont")
    assert (operator.role, operator.email, operator.name) == (
        Role.MANAGER,
        "systeme:jdupont",
        "jdupont (ligne de commande)",
    )


@pytest.mark.parametrize(
    ("role", "network_head", "expected"),
    [
        (Role.READER, "CABM", False),
        (Role.READER, "FEIAL", False),
        (Role.ANALYST, "CABM", True),
        (Role.ANALYST, "FEIAL", True),
        (Role.MANAGER, "FEIAL", True),
        (Role.NETWORK, "CABM", True),
        (Role.NETWORK, "FEIAL", False),
    ],
)
def test_sees_staff_lines(role: Role, network_head: str, expected: bool):
    assert _viewer(role).sees_staff_lines(network_head) is expected


@pytest.mark.parametrize(
    ("role", "kind", "network_head", "expected"),
    [
        (Role.MANAGER, "conventions", "CABM", True),
        (Role.MANAGER, "indicateurs", "FEIAL", True),
        (Role.MANAGER, "personnel", "FEIAL", True),
        (Role.NETWORK, "indicateurs", "CABM", True),
        (Role.NETWORK, "personnel", "CABM", True),
        (Role.NETWORK, "conventions", "CABM", False),  # a convention is the Département's act
        (Role.NETWORK, "indicateurs", "FEIAL", False),
        (Role.NETWORK, "personnel", "FEIAL", False),
        (Role.ANALYST, "indicateurs", "CABM", False),
        (Role.READER, "indicateurs", "CABM", False),
        (Role.READER, "conventions", "CABM", False),
    ],
)
def test_may_submit(role: Role, kind: str, network_head: str, expected: bool):
    assert _viewer(role).may_submit(kind, network_head) is expected


@pytest.mark.parametrize(
    ("role", "export", "review", "comment", "restricted"),
    [
        (Role.READER, False, False, False, False),
        (Role.ANALYST, True, False, False, False),
        (Role.MANAGER, True, True, True, False),
        (Role.NETWORK, False, False, True, True),
    ],
)
def test_what_each_role_may_do(role: Role, export: bool, review: bool, comment: bool, restricted: bool):
    viewer = _viewer(role)
    assert (viewer.may_export, viewer.may_review, viewer.may_comment, viewer.restricted) == (
        export,
        review,
        comment,
        restricted,
    )


def test_a_network_heads_viewer_sees_its_own_codes_only():
    cabm = _viewer(Role.NETWORK)
    assert cabm.visible(["FEIAL", "CABM", "URQLL"]) == ["CABM"]
    assert cabm.allowed() == ["CABM"]
    assert _viewer(Role.READER).allowed() is None
    assert _viewer(Role.READER).visible(["FEIAL", "CABM"]) == ["FEIAL", "CABM"]
    assert cabm.describe() == "reseau – tête de réseau (CABM)"
