"""The viewers the tests read as: one per role, as the roles file of tests/data/acces.toml gives them."""

from __future__ import annotations

from iaedash.domain.access import Role, Viewer

MANAGER = Viewer(Role.MANAGER, "gestionnaire@pasdecalais.fr", "Dominique Leroy")
ANALYST = Viewer(Role.ANALYST, "analyste@pasdecalais.fr", "Alex Martin")
READER = Viewer(Role.READER, "lecteur@pasdecalais.fr", "Lou Bernard")
CABM = Viewer(Role.NETWORK, "contact@reseau-cabm.fr", "Camille Petit", frozenset({"CABM"}))
