"""The board pack's words in nl and en, and its numbers as each language writes them (Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

LANGUAGES = ("nl", "en")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Bestuurspakket", "Board pack"),
    "intro": (
        "De stand van de klantreizen uit de kennisgraaf: levenscyclus, prioriteiten, "
        "gaten in de dekking, governance, een impactanalyse en een scenariovergelijking.",
        "The state of the customer journeys from the knowledge graph: lifecycle, priorities, "
        "coverage gaps, governance, an impact analysis and a scenario comparison.",
    ),
    "lifecycle": ("Levenscyclusplaat", "Lifecycle picture"),
    "stage": ("Levensfase", "Lifecycle stage"),
    "phase": ("Fase", "Phase"),
    "reason": ("Contactreden", "Contact reason"),
    "contacts": ("Contacten", "Contacts"),
    "complaints": ("Klachten", "Complaints"),
    "fcr": ("Eerste-contactoplossing", "First-contact resolution"),
    "journeys": ("Klantreizen", "Journeys"),
    "priorities": ("Prioriteiten", "Priorities"),
    "priorities_intro": (
        "De klantreizen met de hoogste verbeterscore (volume, klachten, kosten en KPI-gat).",
        "The journeys with the highest improvement score (volume, complaints, cost, KPI gap).",
    ),
    "rank": ("Nr.", "Rank"),
    "journey": ("Klantreis", "Journey"),
    "cost": ("Kosten per jaar", "Annual cost"),
    "kpi_gap": ("KPI-gat", "KPI gap"),
    "score": ("Score", "Score"),
    "coverage": ("Gaten in de dekking", "Coverage gaps"),
    "rule": ("Regel", "Rule"),
    "severity": ("Ernst", "Severity"),
    "count": ("Aantal", "Count"),
    "examples": ("Voorbeelden", "Examples"),
    "no_gaps": ("Geen gaten gevonden.", "No gaps found."),
    "governance": ("Governance", "Governance"),
    "open_proposals": ("Openstaande voorstellen", "Open proposals"),
    "no_proposals": ("Geen openstaande voorstellen.", "No open proposals."),
    "concept": ("Begrip", "Concept"),
    "proposal": ("Wijzigingsvoorstel", "Change proposal"),
    "new_concept": ("nieuw begrip", "new concept"),
    "recent_decisions": ("Recente besluiten", "Recent decisions"),
    "of_total": ("{shown} van {total}", "{shown} of {total}"),
    "no_decisions": ("Nog geen besluiten.", "No decisions yet."),
    "decision": ("Besluit", "Decision"),
    "kind": ("Soort", "Kind"),
    "by": ("Door", "By"),
    "at": ("Wanneer", "When"),
    "rationale": ("Motivering", "Rationale"),
    "impact": ("Impactanalyse", "Impact analysis"),
    "impact_none": (
        "Geen element gekozen (journeykg report --impact ID).",
        "No element chosen (journeykg report --impact ID).",
    ),
    "impact_of": ("Wat een wijziging van {label} raakt", "What a change to {label} affects"),
    "elements_reached": ("Bereikte elementen", "Elements reached"),
    "blast_radius": ("Op het spel", "At stake"),
    "scenarios": ("Scenariovergelijking", "Scenario comparison"),
    "scenarios_none": (
        "Geen scenario's gekozen (journeykg report --scenario A --scenario B).",
        "No scenarios chosen (journeykg report --scenario A --scenario B).",
    ),
    "scenario": ("Scenario", "Scenario"),
    "touched": ("Geraakte elementen", "Elements touched"),
    "newly_affected": ("Nieuw geraakt", "Newly affected"),
    "no_longer_affected": ("Niet meer geraakt", "No longer affected"),
    "cost_today": ("Kosten op het spel vandaag", "Cost at stake today"),
    "cost_after": ("Kosten op het spel daarna", "Cost at stake after"),
    "only_in": ("Alleen in {name}", "Only in {name}"),
    "cost_difference": ("Kostenverschil (B − A)", "Cost difference (B − A)"),
    "none": ("geen", "none"),
}


@dataclass(frozen=True)
class Words:
    """The words and number formats of one language, as the board pack's template uses them."""

    language: str

    def __call__(self, key: str, **values: object) -> str:
        """The word for ``key`` (KeyError for a missing one, so a typo fails a test)."""
        text = _WORDS[key][LANGUAGES.index(self.language)]
        return text.format(**values) if values else text

    def number(self, value: float, digits: int = 0) -> str:
        """``value`` with ``digits`` decimals as the language writes it."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return str(format_decimal(value, format=pattern, locale=_LOCALES[self.language]))

    def money(self, value: float | None) -> str:
        """An amount in euros, without cents."""
        if value is None:
            return "—"
        return str(
            format_currency(
                value,
                "EUR",
                format="¤ #,##0",
                locale=_LOCALES[self.language],
                currency_digits=False,
            )
        )

    def percent(self, value: float | None) -> str:
        """A share (0.83) as a percentage."""
        return "—" if value is None else str(format_percent(value, locale=_LOCALES[self.language]))

    def moment(self, value: datetime) -> str:
        """A date and time, medium length."""
        return str(format_datetime(value, "medium", locale=_LOCALES[self.language]))


def words(language: str) -> Words:
    """The :class:`Words` of ``language`` (nl or en); ValueError for another."""
    if language not in LANGUAGES:
        raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
    return Words(language)
