"""Who may see and do what: roles, the viewer of every read, and the rule that maps an address to a role.

Pure rules (no I/O): the roles file is parsed by `iaedash.access`, Streamlit's signed-in user is turned
into a `Viewer` by `iaedash.ui`, and every read of `iaedash.reports` takes the viewer and applies these
rules where the data are read, never only by hiding a widget.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum


class Role(Enum):
    """The four roles of the roles file (their French names are the file's values)."""

    READER = "lecteur"
    ANALYST = "analyste"
    MANAGER = "gestionnaire"
    NETWORK = "reseau"


ROLE_LABELS = {
    Role.READER: "lecteur",
    Role.ANALYST: "analyste",
    Role.MANAGER: "gestionnaire",
    Role.NETWORK: "tête de réseau",
}


class Page(Enum):
    """The app's screens, by what they are for (the file in pages/ has the same name)."""

    OVERVIEW = "accueil"
    INDICATORS = "indicateurs"
    ORIENTATIONS = "orientations"
    TERRITORIES = "territoires"
    NETWORK_HEAD = "fiche_reseau"
    BUDGET = "budget"
    BUDGET_DETAIL = "budget_reseau"
    SUBMISSIONS = "depots"
    REVIEW = "revue"
    EXPORTS = "exports"
    FINAL_REPORT = "bilan_final"
    JOURNAL = "journal"


_DASHBOARDS = (
    Page.OVERVIEW,
    Page.INDICATORS,
    Page.ORIENTATIONS,
    Page.TERRITORIES,
    Page.NETWORK_HEAD,
    Page.BUDGET,
    Page.BUDGET_DETAIL,
)

# The pages of each role, in the order of the navigation (the first one opens by default).
PAGES: dict[Role, tuple[Page, ...]] = {
    Role.READER: _DASHBOARDS,
    Role.ANALYST: (*_DASHBOARDS, Page.EXPORTS, Page.FINAL_REPORT),
    Role.MANAGER: (*_DASHBOARDS, Page.SUBMISSIONS, Page.REVIEW, Page.EXPORTS, Page.FINAL_REPORT, Page.JOURNAL),
    Role.NETWORK: (
        Page.NETWORK_HEAD,
        Page.INDICATORS,
        Page.ORIENTATIONS,
        Page.TERRITORIES,
        Page.BUDGET_DETAIL,
        Page.SUBMISSIONS,
        Page.FINAL_REPORT,
    ),
}


class AccessDenied(PermissionError):
    """A read or an action the viewer's role does not allow; the message is for the server's log."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the input of every read. Hashable, so that it is part of every cache key.

    `network_heads` is None for the Direction's roles (every network head) and the codes of a `reseau`
    account otherwise. `local` is the single-user mode on one computer, without sign-in.
    """

    role: Role
    email: str
    name: str
    network_heads: frozenset[str] | None = None
    local: bool = False

    @classmethod
    def local_user(cls) -> Viewer:
        """No `[auth]` section: the person at this computer is the Direction's operator, as before sign-in."""
        return cls(Role.MANAGER, "poste-local", "Poste local", None, local=True)

    @classmethod
    def operator(cls, system_user: str) -> Viewer:
        """The CLI on the server acts as a gestionnaire and is recorded under the system user's name."""
        return cls(Role.MANAGER, f"systeme:{system_user}", f"{system_user} (ligne de commande)")

    @property
    def restricted(self) -> bool:
        return self.network_heads is not None

    def sees(self, network_head: str) -> bool:
        return self.network_heads is None or network_head in self.network_heads

    def visible(self, codes: Iterable[str]) -> list[str]:
        """The codes of `codes` this viewer may see, in their order."""
        return [c for c in codes if self.sees(c)]

    def allowed(self) -> list[str] | None:
        """The bound SQL parameter of the read restriction: None = every network head."""
        return None if self.network_heads is None else sorted(self.network_heads)

    def may_open(self, page: Page) -> bool:
        return page in PAGES[self.role]

    def sees_staff_lines(self, network_head: str) -> bool:
        """Staff lines are personal data (pseudonymous): never for a lecteur, only its own for a reseau."""
        return self.role is not Role.READER and self.sees(network_head)

    @property
    def may_export(self) -> bool:
        return self.role in (Role.ANALYST, Role.MANAGER)

    @property
    def may_review(self) -> bool:
        """Validate, return, lock, unlock; read the journal."""
        return self.role is Role.MANAGER

    @property
    def may_remind(self) -> bool:
        """See the quarters to remind, the network heads' addresses, and record a reminder sent: the Direction's
        act, like the review (the local mode is a gestionnaire)."""
        return self.role is Role.MANAGER

    @property
    def may_comment(self) -> bool:
        return self.role in (Role.MANAGER, Role.NETWORK)

    @property
    def may_choose_received_date(self) -> bool:
        """A network head's upload is received the day it is sent; the Direction dates the files it was sent."""
        return self.role is Role.MANAGER

    def may_submit(self, kind: str, network_head: str) -> bool:
        """Quarterly files for its own network heads; conventions are the Département's act."""
        if self.role is Role.MANAGER:
            return True
        return self.role is Role.NETWORK and kind != "conventions" and self.sees(network_head)

    def require(self, allowed: bool, what: str) -> None:
        if not allowed:
            raise AccessDenied(f"{self.email} ({self.role.value}) : {what}")

    def describe(self) -> str:
        """« Camille Martin – tête de réseau (CABM) »: the sidebar's signed-in line."""
        text = f"{self.name} – {ROLE_LABELS[self.role]}"
        if self.network_heads:
            text += f" ({', '.join(sorted(self.network_heads))})"
        return text


@dataclass(frozen=True)
class AccessRule:
    """One entry of the roles file: an exact address or a whole domain (« @pasdecalais.fr »)."""

    pattern: str  # lower case
    role: Role
    network_heads: frozenset[str] | None
    line: int  # where the entry starts in the file, for messages

    @property
    def is_domain(self) -> bool:
        return self.pattern.startswith("@")

    def matches(self, email: str) -> bool:
        address = email.strip().lower()
        if self.is_domain:
            return address.endswith(self.pattern) and address.count("@") == 1
        return address == self.pattern


def network_head_addresses(rules: Iterable[AccessRule], network_head: str) -> tuple[str, ...]:
    """The exact addresses the roles file gives the role `reseau` for `network_head`, sorted: whom a reminder
    goes to (a domain entry never names a person, and cannot have that role)."""
    return tuple(
        sorted(
            r.pattern
            for r in rules
            if r.role is Role.NETWORK and not r.is_domain and r.network_heads and network_head in r.network_heads
        )
    )


def resolve(rules: Sequence[AccessRule], email: str | None, name: str | None = None) -> Viewer | None:
    """The viewer of a signed-in address; None when no entry knows it (« accès non autorisé »).

    The most specific entry wins: an exact address before its domain. The parser refuses two entries
    for one address or one domain, so at most one of each kind can match.
    """
    if not email or "@" not in email:
        return None
    matching = [r for r in rules if r.matches(email)]
    if not matching:
        return None
    rule = min(matching, key=lambda r: r.is_domain)  # False (exact) sorts first
    return Viewer(rule.role, email.strip().lower(), (name or email).strip(), rule.network_heads)
