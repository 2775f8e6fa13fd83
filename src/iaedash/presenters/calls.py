"""What a page or a document says about the call of its year: once, when its parameters are provisional."""

from __future__ import annotations

from iaedash.calls import UnknownCallError, call_for_year


def hypothesis_notice(year: int | None) -> str | None:
    """« Appel 2026 : paramètres provisoires repris de 2025 (hypothèse de travail) » for a year whose call is a
    working hypothesis (`hypothese_de_travail = true` in its file); None for a published call, or no call."""
    if year is None:
        return None
    try:
        call = call_for_year(year)
    except UnknownCallError:
        return None
    if call.working_hypothesis is None:
        return None
    return f"Appel {year} : {call.working_hypothesis} (hypothèse de travail)"
