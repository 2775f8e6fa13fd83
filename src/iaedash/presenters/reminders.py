"""Reminders in French: what the home page says of each quarter to remind, and the message itself — subject,
body, a `mailto:` link (RFC 6068) and an .eml file (RFC 5322 / MIME, built with Python's `email` package) with
the quarter's ready-to-fill template attached. Pure: no Streamlit, no database; the page only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from enum import Enum
from urllib.parse import quote, urlencode

from iaedash.calls import all_calls
from iaedash.domain.access import ROLE_LABELS, Role, Viewer
from iaedash.domain.calls import quarter_months
from iaedash.formatting import MONTH_NAMES, format_date
from iaedash.reports.reminders import Missing, Reminder
from iaedash.templates import XLSX_MIME, template_file_name

SIGNATURE = "La Direction des Politiques d'Inclusion Durable\nDépartement du Pas-de-Calais"
NO_ADDRESS = "aucune adresse connue dans le fichier des accès"
# A mail client opening a mailto link may cut a long one (about 2,000 characters is the bound commonly given
# for Outlook on Windows): the mailto body quotes a return's reason only as long as the link stays within it
# (the .eml quotes it whole); the screen quotes it up to SHOWN_REASON_CHARS.
MAILTO_MAX_CHARS = 2000
# (reason's length, with the network head's name and the call's): from the whole text to the shortest one
_MAILTO_STEPS = ((None, True), (600, True), (300, True), (300, False), (150, False), (60, False), (0, False))
SHOWN_REASON_CHARS = 300
DEPOTS_PAGE = "depots"  # the Dépôts page's address (pages/depots.py)
# Reminders laid out at once (each is a block with three buttons); beyond, the filters narrow the list.
MAX_SHOWN = 40

_MISSING_LINES = {
    Missing.INDICATORS: "les six indicateurs du trimestre (onglet « indicateurs » du modèle)",
    Missing.STAFF: "le coût mensuel du personnel affecté à l'opération (onglet « personnel » du modèle)",
}
_MISSING_SHORT = {Missing.INDICATORS: "indicateurs", Missing.STAFF: "dépenses de personnel"}


class Channel(Enum):
    """How the reminder left: its .eml downloaded, or sent from the mailto link and marked as such."""

    EML = "eml"
    MAILTO = "mailto"


_CHANNELS = {
    Channel.EML: "message .eml téléchargé",
    Channel.MAILTO: "marquée envoyée (lien de messagerie)",
}


@dataclass(frozen=True)
class Message:
    """A reminder ready to send."""

    to: tuple[str, ...]
    subject: str
    body: str
    link: str


def _period(r: Reminder) -> str:
    first, _, last = quarter_months(r.quarter)
    return f"T{r.quarter} {r.year} ({MONTH_NAMES[first - 1]} à {MONTH_NAMES[last - 1]} {r.year})"


def _who(r: Reminder) -> str:
    return f"{r.network_head} ({r.name})" if r.name else r.network_head


def missing_text(r: Reminder) -> str:
    """« indicateurs et dépenses de personnel », « dépenses de personnel »; empty when nothing is missing."""
    return " et ".join(_MISSING_SHORT[m] for m in r.missing)


def template_link(base_url: str, r: Reminder) -> str:
    """The Dépôts page on the network head, year and quarter, its template panel open: the filter bar's
    parameters (`annee`, `reseau`, `trimestre`) and the panel's (`modele`)."""
    query = urlencode({"annee": r.year, "reseau": r.network_head, "trimestre": f"T{r.quarter}", "modele": "true"})
    return f"{base_url.rstrip('/')}/{DEPOTS_PAGE}?{query}"


def subject(r: Reminder) -> str:
    """« Relance : dépôt du T3 2025 attendu – CABM »."""
    quarter = f"T{r.quarter} {r.year}"
    if r.returned is not None and Missing.STAFF in r.missing:
        what = f"correction et dépenses de personnel du {quarter} attendues"
    elif r.returned is not None:
        what = f"correction du dépôt du {quarter} attendue"
    elif r.missing == (Missing.STAFF,):
        what = f"dépenses de personnel du {quarter} attendues"
    else:
        what = f"dépôt du {quarter} attendu"
    return f"Relance : {what} – {r.network_head}"


def _quoted(reason: str | None, limit: int | None) -> str:
    text = " ".join((reason or "").split())
    if limit == 0 and text:
        return "(motif dans notre message de renvoi)"
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"« {text} »" if text else "(sans motif)"


def body(r: Reminder, link: str, *, attached: bool, reason_chars: int | None = None, names: bool = True) -> str:
    """The message's text: the quarter and its months, its due date, what is missing or to correct and why,
    where the template is (attached, and at `link`). `names`: with the network head's and the call's names
    (a mailto link too long drops them)."""
    call = all_calls().get(r.year) if names else None
    under = f", au titre de l'appel à projets « {call.name} »" if call else ""
    deposit = f"le dépôt trimestriel du {_period(r)} de {_who(r) if names else r.network_head}"
    due = format_date(r.due_date)
    paragraphs = ["Bonjour,"]
    if r.missing:
        lines = "\n".join(f"- {_MISSING_LINES[m]} ;" for m in r.missing).removesuffix(" ;") + "."
        paragraphs.append(
            f"Sauf erreur de notre part, {deposit} n'est pas complet. Il était attendu au plus tard le {due}{under}."
            f"\n\nIl nous manque :\n{lines}"
        )
    if r.returned is not None:
        what = (
            "Par ailleurs, ce dépôt"
            if r.missing
            else f"{deposit[:1].upper()}{deposit[1:]}, attendu au plus tard le {due},"
        )
        paragraphs.append(
            f"{what} vous a été renvoyé pour correction le {format_date(r.returned.at.date())}, avec ce motif :\n"
            f"{_quoted(r.returned.reason, reason_chars)}\nNous attendons sa version corrigée."
        )
    where = (
        "Le modèle de dépôt de ce trimestre, prêt à remplir, est joint à ce message ; il est aussi sur la page "
        "Dépôts d'iaedash, où vous pouvez déposer vos fichiers :"
        if attached
        else "Le modèle de dépôt de ce trimestre, prêt à remplir, est sur la page Dépôts d'iaedash, où vous "
        "pouvez aussi déposer vos fichiers :"
    )
    paragraphs.append(f"{where}\n{link}")
    paragraphs.append(
        "Rempli, le classeur s'importe tel quel : déposez-le sur cette page ou renvoyez-le-nous en réponse. "
        "Si vous nous l'avez envoyé entre-temps, ne tenez pas compte de cette relance."
    )
    paragraphs.append(f"Cordialement,\n{SIGNATURE}")
    return "\n\n".join(paragraphs) + "\n"


def message(r: Reminder, base_url: str, *, attached: bool) -> Message:
    """The reminder of `r`: to its network head's known addresses; `attached` when the template goes with it
    (the .eml), not when it is only linked (the mailto, which cannot carry a file)."""
    link = template_link(base_url, r)
    if attached:
        return Message(r.recipients, subject(r), body(r, link, attached=True), link)
    for limit, names in _MAILTO_STEPS:  # shortened until the link fits
        text = body(r, link, attached=False, reason_chars=limit, names=names)
        out = Message(r.recipients, subject(r), text, link)
        if len(mailto_url(out)) <= MAILTO_MAX_CHARS:
            break
    return out


def mailto_url(m: Message) -> str:
    """`mailto:` (RFC 6068): addresses separated by commas, subject and body percent-encoded in UTF-8, line
    breaks as CRLF; no recipient known gives `mailto:?subject=…`."""
    to = ",".join(quote(address, safe="@") for address in m.to)
    text = m.body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{to}?subject={quote(m.subject, safe='')}&body={quote(text, safe='')}"


def eml_file_name(r: Reminder) -> str:
    """« relance_CABM_2025_T3.eml »."""
    return f"relance_{r.network_head}_{r.year}_T{r.quarter}.eml"


def eml(m: Message, r: Reminder, template: bytes, sender: Viewer, at: datetime) -> bytes:
    """The message as an .eml (RFC 5322, MIME, UTF-8, CRLF) with the template attached, marked unsent
    (`X-Unsent: 1`) so that Outlook opens it as a draft to send; the sender is the person signed in when an
    address is known (the local mode has none: the mail client puts its own)."""
    out = EmailMessage()
    if "@" in sender.email:
        out["From"] = Address(display_name=sender.name, addr_spec=sender.email)
    if m.to:
        out["To"] = ", ".join(m.to)
    out["Subject"] = m.subject
    out["Date"] = format_datetime(at)
    out["X-Unsent"] = "1"
    out.set_content(m.body, charset="utf-8", headers=["Content-Language: fr"])
    maintype, subtype = XLSX_MIME.split("/")
    out.add_attachment(
        template, maintype=maintype, subtype=subtype, filename=template_file_name(r.network_head, r.year, r.quarter)
    )
    return out.as_bytes(policy=SMTP)


def journal_detail(m: Message, channel: Channel) -> str:
    """The journal's detail of a reminder: how it left, to whom, with which subject."""
    return f"{_CHANNELS[channel]} ; à : {', '.join(m.to) or NO_ADDRESS} ; objet : {m.subject}"


# --- what the home page says (Markdown: the texts a network head or a gestionnaire typed are escaped) ---

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#$~|"})


def _md(text: str) -> str:
    return text.translate(_MARKDOWN)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"


def summary(reminders: Sequence[Reminder]) -> str:
    """« **3** relances à faire : 2 dépôts manquants ou incomplets · 1 renvoyé pour correction »."""
    incomplete = sum(bool(r.missing) for r in reminders)
    returned = sum(r.returned is not None for r in reminders)
    parts = []
    if incomplete:
        parts.append(_count(incomplete, "dépôt manquant ou incomplet", "dépôts manquants ou incomplets"))
    if returned:
        parts.append(_count(returned, "renvoyé pour correction", "renvoyés pour correction"))
    count = len(reminders)
    return f"**{count}** {'relance' if count <= 1 else 'relances'} à faire : " + " · ".join(parts)


def heading(r: Reminder) -> str:
    """« **CABM** (Coordination…) – **T3 2025** »."""
    name = f" ({_md(r.name)})" if r.name else ""
    return f"**{r.network_head}**{name} – **T{r.quarter} {r.year}**"


def reason_lines(r: Reminder) -> list[str]:
    """Why this quarter is reminded, one sentence per reason."""
    lines = []
    due = format_date(r.due_date)
    if r.missing:
        late = f", dépassée de {r.days_overdue} jour{'s' if r.days_overdue > 1 else ''}" if r.days_overdue > 0 else ""
        lines.append(f"Manque : {missing_text(r)} (échéance du {due}{late}).")
    if r.returned is not None:
        lines.append(
            f"Renvoyé pour correction le {format_date(r.returned.at.date())} par {_md(r.returned.actor)}, version "
            f"corrigée attendue ; motif : {_md(_quoted(r.returned.reason, SHOWN_REASON_CHARS))}."
        )
    return lines


def recipients_text(r: Reminder) -> str:
    """« À : contact@reseau-cabm.fr », or why the message opens without a recipient."""
    if not r.recipients:
        return f"À : {NO_ADDRESS} (rôle « reseau » pour {r.network_head}) : le message s'ouvre sans destinataire."
    # as code, not a mailto link of its own (Markdown links a bare address), which would open an empty message
    return "À : " + ", ".join(f"`{address.replace('`', '')}`" for address in r.recipients)


def last_text(r: Reminder) -> str:
    """« Dernière relance le 24/11/2026 à 10:12 par Dominique Leroy (gestionnaire) · 2 relances en tout »."""
    if r.last is None:
        return "Pas encore relancé."
    try:
        role = ROLE_LABELS[Role(r.last.actor_role)]
    except ValueError:
        role = r.last.actor_role
    text = f"Dernière relance le {r.last.at:%d/%m/%Y à %H:%M} par {_md(r.last.actor)} ({role})"
    if r.last.count > 1:
        text += f" · {r.last.count} relances en tout"
    return text + "."


def recorded_text(r: Reminder, channel: Channel) -> str:
    """What the page says once a reminder is in the journal."""
    how = "Message .eml téléchargé" if channel is Channel.EML else "Relance marquée comme envoyée"
    return f"{how} : relance de {r.network_head} pour le T{r.quarter} {r.year} inscrite au Journal."


def more_text(hidden: int) -> str:
    """Below the reminders shown when the list is longer than MAX_SHOWN."""
    if hidden == 1:
        what, them = "1 autre relance n'est pas affichée", "la"
    else:
        what, them = f"{hidden} autres relances ne sont pas affichées", "les"
    return f"{what} : choisissez des têtes de réseaux ou des trimestres dans les filtres pour {them} voir."


def not_recorded_text(r: Reminder, error: str) -> str:
    """When the journal could not be written (the database held too long by an import)."""
    return (
        f"Relance de {r.network_head} pour le T{r.quarter} {r.year} non inscrite au Journal : {error}. Si le message "
        "est parti, marquez-le comme envoyé dans un instant."
    )


def local_link_note() -> str:
    """Said when the links lead to this computer (no public address set): a network head cannot open them."""
    return (
        "Le lien des messages mène à ce poste (aucune adresse publique d'iaedash n'est réglée) : une tête de réseau "
        "ne pourra l'ouvrir que lorsqu'iaedash sera en service pour l'équipe (IAEDASH_URL, ou section [auth]). Le "
        "fichier .eml joint le modèle dans tous les cas."
    )
