"""Vue d'ensemble: the six indicators, who sent what, what needs action, and the reminders to send."""

import functools
from datetime import datetime

import streamlit as st

from iaedash import journal, templates, ui
from iaedash.charts.palette import STATUS_COLORS
from iaedash.charts.tables import completeness_table, style_statuses
from iaedash.db.connection import DatabaseBusyError
from iaedash.domain.access import Viewer
from iaedash.presenters import overview as present
from iaedash.presenters import reminders as remind
from iaedash.reports.reminders import Reminder
from iaedash.settings import DEFAULT_URL


def eml_file(message: remind.Message, reminder: Reminder, sender: Viewer) -> bytes:
    """Built when the button is clicked: the .eml with the quarter's template attached."""
    template = templates.submission_template(reminder.network_head, reminder.name, reminder.year, reminder.quarter)
    return remind.eml(message, reminder, template, sender, datetime.now().astimezone())


def record(who: Viewer, reminder: Reminder, message: remind.Message, channel: remind.Channel) -> None:
    """The reminder in the journal (a download or « Marquer… »), said on the next run."""
    detail = remind.journal_detail(message, channel)
    try:
        journal.record_reminder(ui.database(), who, reminder.network_head, reminder.year, reminder.quarter, detail)
    except DatabaseBusyError as error:  # said on the page, not as Streamlit's exception box
        st.session_state["relance_notee"] = ("error", remind.not_recorded_text(reminder, str(error)))
    else:
        st.session_state["relance_notee"] = ("success", remind.recorded_text(reminder, channel))


ui.ensure_navigation()

ui.page_header("Vue d'ensemble", ui.filters())
current = ui.require_filters()
period = current.period_label()
viewer = ui.viewer()
topics = ["Indicateurs", "Complétude des dépôts", "Alertes"]
if viewer.may_remind and not ui.meeting_mode():  # the network heads' addresses never go on a shared screen
    topics.append("Relances")

for label, section in ui.sections(topics, key="accueil_sujet"):
    with section:
        if label == "Indicateurs":
            st.header(f"Les six indicateurs – {period} – {current.scope_label()}")
            tiles = [present.tile_text(t, period) for t in ui.read("tiles", current)]
            for row in (tiles[:3], tiles[3:]):
                for tile, column in zip(row, st.columns(3), strict=True):
                    column.metric(tile.title, tile.value, delta=tile.delta, help=tile.help, border=True)
                    column.caption(tile.caption)
        elif label == "Complétude des dépôts":
            st.header(f"Dépôts trimestriels reçus – {current.year} – {current.scope_label()}")
            grid = ui.read("completeness", current, ui.day())
            if grid.empty:
                st.info(f"Aucune tête de réseau n'a de convention {current.year} dans cette sélection.")
            else:
                shown, states = completeness_table(grid)
                names = ui.network_head_names(ui.read("network_heads", current.as_of))
                st.dataframe(
                    style_statuses(shown, states),
                    hide_index=True,
                    width="stretch",
                    column_config={"Réseau": st.column_config.TextColumn(help=names, pinned=True)},
                )
                st.caption(
                    "Légende : "
                    + " · ".join(f"{status}" for status in STATUS_COLORS)
                    + ". Un trimestre est dû 30 jours après sa fin ; la date est celle de la première version reçue ; "
                    "« (v2) » : une version corrigée a été reçue depuis ; « · validé », « · à corriger », "
                    "« · verrouillé » : l'état de sa revue par la Direction."
                )
        elif label == "Relances" and current.as_of is not None:  # a reminder is sent today, on today's state
            st.header(f"Relances à envoyer – {period} – {current.scope_label()}")
            st.info(
                f"Vous consultez le tableau de bord au {current.as_of:%d/%m/%Y}. Les relances se préparent sur "
                "l'état du jour : remettez « Données au » à la date du jour pour voir qui relancer."
            )
        elif label == "Relances":
            st.header(f"Relances à envoyer – {period} – {current.scope_label()}")
            rules, problem = ui.contact_rules()
            if problem:
                st.warning(f"Fichier des accès illisible, aucune adresse n'est reprise : {problem}.")
            level, noted = st.session_state.pop("relance_notee", (None, None))
            if level == "success":
                st.success(noted, icon=":material/check:")
            elif level == "error":
                st.error(noted, icon=":material/error:")
            due = ui.read("reminders", current, ui.today(), rules)
            if not due:
                st.success(
                    "Aucune relance à faire : chaque trimestre échu de cette sélection a ses indicateurs et ses "
                    "dépenses de personnel, et aucun n'attend de correction."
                )
            else:
                st.write(remind.summary(due))
                base = ui.app_url()
                if base == DEFAULT_URL:
                    st.caption(remind.local_link_note())
                for r in due[: remind.MAX_SHOWN]:
                    key = f"relance_{r.network_head}_{r.year}_{r.quarter}"
                    with st.container(border=True):
                        st.markdown("  \n".join([remind.heading(r), *remind.reason_lines(r)]))
                        if r.recipients:
                            st.markdown(remind.recipients_text(r))
                        else:
                            st.warning(remind.recipients_text(r), icon=":material/mail:")
                        st.caption(remind.last_text(r))
                        mailto = remind.message(r, base, attached=False)
                        attached = remind.message(r, base, attached=True)
                        with st.expander("Voir le message"):
                            st.markdown(f"**Objet :** {mailto.subject}")
                            st.code(attached.body, language=None, wrap_lines=True)
                        actions = st.container(horizontal=True)
                        actions.link_button(
                            "Écrire avec la messagerie", remind.mailto_url(mailto), icon=":material/mail:"
                        )
                        actions.download_button(
                            "Télécharger le message (.eml)",
                            data=functools.partial(eml_file, attached, r, viewer),
                            file_name=remind.eml_file_name(r),
                            mime="message/rfc822",
                            key=f"{key}_eml",
                            on_click=record,
                            args=(viewer, r, attached, remind.Channel.EML),
                            icon=":material/download:",
                            help="Le message avec le modèle du trimestre en pièce jointe, à ouvrir dans la "
                            "messagerie ; son téléchargement est inscrit au journal comme relance.",
                        )
                        actions.button(
                            "Marquer la relance comme envoyée",
                            key=f"{key}_envoyee",
                            on_click=record,
                            args=(viewer, r, mailto, remind.Channel.MAILTO),
                            icon=":material/done:",
                            help="Après un envoi par « Écrire avec la messagerie » : le lien ne peut pas dire "
                            "si le message est parti.",
                        )
                if len(due) > remind.MAX_SHOWN:
                    st.info(remind.more_text(len(due) - remind.MAX_SHOWN))
                st.caption(
                    "Un trimestre est à relancer quand son échéance est passée sans ses indicateurs ou ses dépenses "
                    "de personnel (hors trimestre validé ou verrouillé), ou quand il a été renvoyé pour correction "
                    "et attend sa nouvelle version. Les adresses sont celles du rôle « reseau » du fichier des "
                    "accès ; chaque relance est inscrite au Journal."
                )
        else:
            st.header(f"Alertes à traiter – {period} – {current.scope_label()}")
            alerts = ui.read("alerts", current, ui.day())
            if not alerts:
                st.success("Aucune alerte pour cette sélection.")
            else:
                st.write(present.alert_counts(alerts))
                # A list, not a grid: each sentence wraps and is read whole on a 1280-pixel shared screen.
                st.markdown("\n".join(f"- {line}" for line in present.alert_lines(alerts, current)))
