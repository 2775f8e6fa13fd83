"""Codes of the submission format v1: orientations, indicators, territories.

They are part of the file contract (docs/format-depot.md), not of one call,
so they live here rather than in a call's data file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str


@dataclass(frozen=True)
class Indicator(Code):
    unit: str  # French unit (plural), shown beside every figure
    short: str  # label that fits a tab, a legend or a bar
    unit_singular: str  # the unit of 0 or 1 (« 1 formation », « 0 participant »)


ORIENTATIONS: tuple[Code, ...] = (
    Code("PRO", "Professionnalisation des SIAE"),
    Code("MAR", "Réponse aux marchés d'insertion et de qualification"),
    Code("INT", "Intermédiation avec les acteurs de l'insertion"),
    Code("DIV", "Diversification / développement d'activités"),
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "GOUV",
        "Accompagnements à la gouvernance et au pilotage stratégique des SIAE",
        "accompagnements",
        "Accompagnements gouvernance",
        "accompagnement",
    ),
    Indicator("FORM", "Formations proposées aux SIAE", "formations", "Formations", "formation"),
    Indicator(
        "JURI",
        "Interventions du service juridique sur site",
        "interventions",
        "Interventions juridiques",
        "intervention",
    ),
    Indicator("VEIL", "Publications et veilles juridiques", "publications", "Publications et veilles", "publication"),
    Indicator(
        "WEBI", "Participants aux webinaires sur les SIAE", "participants", "Participants aux webinaires", "participant"
    ),
    Indicator(
        "COMI",
        "Participations aux comités de suivi, de pilotage et réunions techniques",
        "participations",
        "Participations aux comités",
        "participation",
    ),
)

DEFAULT_TERRITORY = "DEP"

TERRITORIES: tuple[Code, ...] = (
    Code("ARR", "Arrageois"),
    Code("ART", "Artois"),
    Code("AUD", "Audomarois"),
    Code("BOU", "Boulonnais"),
    Code("CAL", "Calaisis"),
    Code("LEH", "Lens-Hénin"),
    Code("MOT", "Montreuillois-Ternois"),
    Code(DEFAULT_TERRITORY, "Tout le Département"),
)

ORIENTATION_CODES = tuple(o.code for o in ORIENTATIONS)
INDICATOR_CODES = tuple(i.code for i in INDICATORS)
TERRITORY_CODES = tuple(t.code for t in TERRITORIES)
