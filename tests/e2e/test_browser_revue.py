"""The review of a quarter end to end in Chromium, two people at once: CABM sends its fourth quarter, the
Direction's gestionnaire returns it with a comment, CABM reads it and sends a v2, the gestionnaire validates
and locks, a v3 is refused « trimestre verrouillé », the gestionnaire unlocks with a reason, the v3 lands.
The journal (downloaded as a person would) and the fiche réseau's history tell the story in order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc import Provider, running_provider, signed_app
from playwright.sync_api import expect
from screen import OUTPUT, Screen
from server import App, demo_without
from test_browser_depots import MISSING, cabm_t4_cell, upload

from iaedash.demo import demo_dir

RETURN_REASON = "FORM : la session de décembre manque au T4, merci de la déclarer"
UNLOCK_REASON = "Correction demandée par la Direction après la réunion de suivi"


@pytest.fixture(scope="module")
def review_app(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    folder = tmp_path_factory.mktemp("revue")
    db = demo_without(MISSING, folder)
    with running_provider() as provider, _app(db, provider, folder) as app:
        yield app


def _app(db: Path, provider: Provider, folder: Path):
    return signed_app(db, OUTPUT / "streamlit-revue.log", provider, folder / "secrets")


def version(folder: Path, n: int) -> Path:
    """CABM's T4 indicators with its FORM × PRO value raised by n (a corrected version)."""
    lines = (demo_dir() / MISSING[0]).read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    at = next(i for i, line in enumerate(lines) if ";PRO;FORM;DEP;" in line)
    cells = lines[at].split(";")
    cells[header.index("valeur")] = str(int(cells[header.index("valeur")]) + n)
    lines[at] = ";".join(cells)
    path = folder / f"CABM_2025_T4_indicateurs_v{n + 1}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def send(screen: Screen, app: App, *paths: Path) -> None:
    """CABM's account on Dépôts: upload, read the verdict, confirm."""
    screen.open(app.url("depots"))
    upload(screen, *paths)
    expect(screen.page.get_by_text("Accepté : 1 périmètre sera importé")).to_have_count(len(paths))
    label = "Importer le fichier accepté" if len(paths) == 1 else f"Importer les {len(paths)} fichiers acceptés"
    screen.rerun_after(screen.page.get_by_role("button", name=label).click)
    screen.page.get_by_text(f"{paths[0].name} : importé").wait_for()


def act(screen: Screen, app: App, button: str, done: str, reason: str = "") -> None:
    """The gestionnaire on Revue des dépôts, CABM's T4 opened by its link."""
    screen.open(app.url("revue", annee="2025", revue_reseau="CABM", revue_periode="T4"))
    if reason:
        screen.page.get_by_role("textbox", name="Motif ou commentaire de l'acte").fill(reason)
    screen.rerun_after(screen.page.get_by_role("button", name=button, exact=True).click)
    screen.page.get_by_text(done).wait_for()


def journal_rows(screen: Screen, app: App) -> list[dict[str, str]]:
    screen.open(app.url("journal"))
    with screen.page.expect_download() as download:
        screen.page.get_by_role("button", name="Télécharger le journal en CSV (Excel)").click()
    text = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_a_quarter_returned_corrected_validated_locked_refused_unlocked_and_corrected(
    review_app: App, open_screen, tmp_path: Path
):
    app = review_app
    cabm, manager = open_screen(), open_screen()
    cabm.sign_in(app.url(), "cabm")
    manager.sign_in(app.url(), "gestionnaire")

    # CABM sends its fourth quarter: « reçu », late, on the Direction's grid at once.
    send(cabm, app, *(demo_dir() / name for name in MISSING))
    manager.open(app.url(annee="2025"))
    assert cabm_t4_cell(manager) == "reçu en retard le 24/11/2026"

    # Returned for correction, with the reason CABM must read.
    act(manager, app, "Renvoyer pour correction", "Renvoi pour correction enregistré", RETURN_REASON)
    manager.screenshot("revue--renvoi")
    manager.open(app.url(annee="2025"))
    assert cabm_t4_cell(manager) == "reçu en retard le 24/11/2026 · à corriger"
    cabm.open(app.url(annee="2025"))  # CABM's default page: its fiche réseau
    cabm.show_tab("Dépôts et commentaires")
    seen = cabm.text()
    assert "à corriger" in seen and RETURN_REASON in seen
    cabm.screenshot("revue--cabm-lit-le-renvoi")
    cabm.assert_accessible("revue--cabm-lit-le-renvoi")

    # v2, validated and locked.
    send(cabm, app, version(tmp_path, 1))
    act(manager, app, "Valider", "Validation enregistrée pour le T4 2025 de CABM (v2, personnel v1)")
    act(manager, app, "Verrouiller", "Verrouillage enregistré pour le T4 2025 de CABM (v2, personnel v1)")
    manager.open(app.url(annee="2025"))
    assert cabm_t4_cell(manager) == "reçu en retard le 24/11/2026 (v2) · verrouillé"

    # v3 refused while locked: a located French message, nothing to confirm.
    cabm.open(app.url("depots"))
    upload(cabm, version(tmp_path, 2))
    expect(cabm.page.get_by_text("Refusé : 1 erreur")).to_have_count(1)
    expect(cabm.page.get_by_role("button", name="Importer le fichier accepté")).to_have_count(0)
    grid = cabm.page.locator('[data-testid="stDataFrame"]').first
    assert any("trimestre verrouillé le" in c for c in grid.locator('[role="gridcell"]').all_text_contents())
    cabm.screenshot("revue--v3-refusee")

    # Unlocked with a reason, then v3 lands.
    act(manager, app, "Déverrouiller", "Déverrouillage enregistré pour le T4 2025 de CABM", UNLOCK_REASON)
    send(cabm, app, version(tmp_path, 2))
    manager.open(app.url(annee="2025"))
    assert cabm_t4_cell(manager) == "reçu en retard le 24/11/2026 (v3)"

    # The journal tells the whole story, in order, with who did what.
    rows = [r for r in reversed(journal_rows(manager, app)) if "CABM" in r["Détail"] or r["Réseau"] == "CABM"]
    story = [(r["Action"], r["Par"].split(" (")[0]) for r in rows if r["Action"] != "import" or "T4" in r["Détail"]]
    assert story == [
        ("import", "Camille Petit"),
        ("import", "Camille Petit"),
        ("renvoi pour correction", "Dominique Leroy"),
        ("import", "Camille Petit"),
        ("validation", "Dominique Leroy"),
        ("verrouillage", "Dominique Leroy"),
        ("fichier refusé", "Camille Petit"),
        ("déverrouillage", "Dominique Leroy"),
        ("import", "Camille Petit"),
    ]
    reasons = {r["Action"]: r["Détail"] for r in rows}
    assert RETURN_REASON in reasons["renvoi pour correction"] and UNLOCK_REASON in reasons["déverrouillage"]
    assert "trimestre verrouillé le" in reasons["fichier refusé"]
    manager.screenshot("revue--journal")

    # The fiche réseau: three versions of the indicators and every act with its reason, oldest first.
    manager.open(app.url("fiche_reseau", annee="2025", fiche="CABM"))
    manager.show_tab("Dépôts et commentaires")
    text = manager.text()
    for expected in ("v3", RETURN_REASON, UNLOCK_REASON, "verrouillé", "validé"):
        assert expected in text
    thread = manager.page.locator('[data-testid="stDataFrame"]:visible').nth(1)  # after the review states
    rows = [" ".join(r.locator('[role="gridcell"]').all_text_contents()) for r in thread.locator('[role="row"]').all()]
    said = [next(i for i, r in enumerate(rows) if reason in r) for reason in (RETURN_REASON, UNLOCK_REASON)]
    assert said == sorted(said), "the thread is oldest first: the return comes before the unlock"
    manager.screenshot("revue--fiche-historique")
