"""The data dictionary: every column of every dataset, its meaning, unit and type.

It is also what the writers read to type cells (money as euros, dates as dates), so a column
cannot be exported without being described.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

TEXT, INTEGER, MONEY, PERCENT, DATE, DATETIME = "texte", "entier", "euros", "pourcentage", "date", "date et heure"


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    unit: str
    type: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]


_HEAD = Column("reseau", "code de la tête de réseau", "–", TEXT)
_YEAR = Column("annee", "année de l'opération", "année", INTEGER)
_QUARTER = Column("trimestre", "trimestre de l'année (1 à 4)", "trimestre", INTEGER)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "indicateurs",
            "Valeurs des indicateurs",
            "Versions courantes des dépôts : une ligne par réseau, année, trimestre, orientation, indicateur et "
            "territoire ; les valeurs nulles sont omises (une combinaison absente vaut 0).",
            (
                _HEAD,
                _YEAR,
                _QUARTER,
                Column("orientation", "orientation de l'appel : PRO, MAR, INT ou DIV", "–", TEXT),
                Column("indicateur", "code de l'indicateur : GOUV, FORM, JURI, VEIL, WEBI, COMI", "–", TEXT),
                Column("territoire", "territoire de l'action (DEP : tout le Département)", "–", TEXT),
                Column("valeur", "valeur du trimestre seul (pas un cumul)", "actions ; personnes pour WEBI", INTEGER),
                Column("commentaire", "commentaire libre envoyé avec la valeur", "–", TEXT),
            ),
        ),
        Dataset(
            "indicateurs_large",
            "Indicateurs en colonnes",
            "Une ligne par réseau et trimestre reçu ; une colonne par indicateur × orientation "
            "(ex. form_pro : formations proposées en professionnalisation), territoires additionnés.",
            (
                _HEAD,
                _YEAR,
                _QUARTER,
                Column(
                    "<indicateur>_<orientation>",
                    "valeur du trimestre pour cet indicateur et cette orientation",
                    "actions ; personnes pour webi_*",
                    INTEGER,
                ),
            ),
        ),
        Dataset(
            "objectifs",
            "Réalisé et objectifs annuels",
            "Une ligne par convention et indicateur : cumul des trimestres et orientations choisis face à "
            "l'objectif annuel de la convention.",
            (
                _HEAD,
                _YEAR,
                Column("indicateur", "code de l'indicateur", "–", TEXT),
                Column("realise", "cumul des trimestres choisis", "actions ; personnes pour WEBI", INTEGER),
                Column("objectif", "objectif annuel de la convention (vide : pas d'objectif)", "idem", INTEGER),
                Column("taux_atteinte", "realise / objectif (vide : pas d'objectif)", "%", PERCENT),
            ),
        ),
        Dataset(
            "completude",
            "Complétude des dépôts",
            "Une ligne par convention et trimestre : statut du dépôt d'indicateurs, échéance, dates de réception.",
            (
                _HEAD,
                _YEAR,
                _QUARTER,
                Column("statut", "reçu à temps, reçu en retard, manquant ou pas encore dû", "–", TEXT),
                Column("date_limite", "échéance du dépôt (fin du trimestre + délai de l'appel)", "date", DATE),
                Column("recu_le", "réception de la première version", "date", DATE),
                Column("derniere_version_le", "réception de la dernière version", "date", DATE),
                Column("versions", "nombre de versions reçues", "versions", INTEGER),
            ),
        ),
        Dataset(
            "budget",
            "Budget par convention",
            "Une ligne par convention (réseau et année) : dépenses de personnel de toutes les lignes reçues pour "
            "l'année, forfait de 40 % et consommation du coût total prévu ; toujours l'année entière, "
            "quels que soient les trimestres et orientations choisis.",
            (
                _HEAD,
                _YEAR,
                Column(
                    "depenses_personnel_declarees",
                    "somme de toutes les lignes de personnel (coût mensuel × taux d'affectation, arrondi au "
                    "centime par ligne), éligibles ou non",
                    "€",
                    MONEY,
                ),
                Column(
                    "depenses_personnel_eligibles",
                    "idem, hors fonctions support et taux d'affectation inférieurs à 30 %",
                    "€",
                    MONEY,
                ),
                Column("forfait_40", "40 % des dépenses éligibles, arrondi une fois sur la somme", "€", MONEY),
                Column("cout_total_eligible", "dépenses éligibles + forfait", "€", MONEY),
                Column("cout_total_prevu", "coût de personnel prévu × 1,40 (convention)", "€", MONEY),
                Column("taux_consommation", "cout_total_eligible / cout_total_prevu", "%", PERCENT),
            ),
        ),
        Dataset(
            "personnel_mensuel",
            "Dépenses de personnel par mois",
            "Une ligne par réseau et mois : dépenses déclarées et éligibles (aucune ligne par salarié).",
            (
                _HEAD,
                _YEAR,
                Column("mois", "mois de l'année (1 à 12)", "mois", INTEGER),
                Column("depenses_personnel_declarees", "somme des lignes du mois, éligibles ou non", "€", MONEY),
                Column("depenses_personnel_eligibles", "somme des lignes éligibles du mois", "€", MONEY),
                Column("lignes_ineligibles", "nombre de lignes inéligibles du mois", "lignes", INTEGER),
            ),
        ),
        Dataset(
            "imports",
            "Historique des imports",
            "Une ligne par fichier accepté : empreinte, version(s) créée(s), dates, et si ses versions sont "
            "toujours courantes ; tous les trimestres de l'année choisie.",
            (
                Column("numero", "numéro d'import", "–", INTEGER),
                Column("fichier", "nom du fichier reçu", "–", TEXT),
                Column("sha256", "empreinte SHA-256 du fichier reçu", "–", TEXT),
                Column("recu_le", "date de réception par le Département", "date", DATE),
                Column("importe_le", "date et heure de l'import", "date et heure", DATETIME),
                Column("perimetres", "ce que le fichier couvre, avec la version créée", "–", TEXT),
                Column("resultat", "accepté, version courante / en partie remplacé / remplacé depuis", "–", TEXT),
            ),
        ),
        Dataset(
            "commentaires",
            "Commentaires",
            "Les commentaires envoyés dans les dépôts (colonne commentaire, versions courantes) et ceux des fils "
            "de suivi de chaque trimestre ou convention (Direction et tête de réseau), avec les motifs de renvoi "
            "et de déverrouillage ; du plus ancien au plus récent.",
            (
                _HEAD,
                _YEAR,
                Column("trimestre", "trimestre de l'année (1 à 4) ; vide : la convention", "trimestre", INTEGER),
                Column("indicateur", "indicateur commenté ; vide : tout le trimestre", "–", TEXT),
                Column("orientation", "orientation commentée ; vide : tout le trimestre", "–", TEXT),
                Column("source", "dépôt (envoyé dans le fichier), fil de suivi, ou l'acte de revue motivé", "–", TEXT),
                Column("auteur", "qui l'a écrit (le fichier et sa version pour un commentaire de dépôt)", "–", TEXT),
                Column("role", "rôle de l'auteur : gestionnaire, reseau… ; vide pour un dépôt", "–", TEXT),
                Column(
                    "date",
                    "date et heure d'écriture (d'import pour un commentaire de dépôt)",
                    "date et heure",
                    DATETIME,
                ),
                Column("texte", "le commentaire ou le motif", "–", TEXT),
            ),
        ),
    )
}


def column_type(dataset: str, column: str) -> str:
    """Type of a column as the dictionary gives it (pattern columns of the wide dataset are integers)."""
    if dataset not in DATASETS:
        return TEXT
    for c in DATASETS[dataset].columns:
        if c.name == column:
            return c.type
    return INTEGER if dataset == "indicateurs_large" else TEXT


def dictionary_frame(dataset: str | None = None) -> pd.DataFrame:
    """The dictionary as a table (one dataset, or all of them)."""
    chosen = [DATASETS[dataset]] if dataset else list(DATASETS.values())
    return pd.DataFrame(
        [
            {"jeu": d.name, "colonne": c.name, "signification": c.meaning, "unite": c.unit, "type": c.type}
            for d in chosen
            for c in d.columns
        ]
    )
