"""The workspace's two languages: its words, and numbers and dates as each language writes them.

Numbers, money and dates are formatted by Babel (CLDR's rules for nl_NL and
en_GB), so that 12.345,6 and 12,345.6 come out right without a table of our own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from journeykg.web.explorer_words import WORDS as EXPLORER_WORDS
from journeykg.web.glossary_words import GLOSSARY_WORDS
from journeykg.web.insight_words import WORDS as INSIGHT_WORDS
from journeykg.web.mining_words import WORDS as MINING_WORDS
from journeykg.web.records_words import WORDS as RECORDS_WORDS
from journeykg.web.report_words import WORDS as REPORT_WORDS

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "app": "journeykg-werkplaats",
        "skip": "Naar de inhoud",
        "picture": "Levenscyclusplaat",
        "picture_intro": (
            "Levensfasen, fasen en contactredenen van het kader, gekleurd naar de gekozen maatstaf."
        ),
        "measure": "Maatstaf",
        "show": "Toon",
        "contacts": "Contacten",
        "complaints": "Klachten",
        "cost": "Kosten",
        "NPS": "NPS",
        "CES": "CES",
        "FCR": "FCR",
        "fcr_long": "Eerste-contactoplossing",
        "against_target": "tegen doel",
        "no_data": "geen gegevens",
        "on_target": "op doel",
        "near_target": "tot 10% onder doel",
        "off_target": "meer dan 10% onder doel",
        "legend": "Legenda",
        "low": "laag",
        "high": "hoog",
        "no_journey": "geen klantreis",
        "journeys": "Klantreizen",
        "journeys_by_stage": "Klantreizen × levensfasen",
        "journey": "Klantreis",
        "owner": "Eigenaar",
        "kpis": "KPI's",
        "no_owner": "geen eigenaar",
        "no_kpi": "geen KPI",
        "gaps": "Gaten in de dekking",
        "reasons_without_journey": "Contactredenen zonder klantreis",
        "journeys_without_owner": "Klantreizen zonder eigenaar",
        "journeys_without_kpi": "Klantreizen zonder KPI",
        "journeys_shown": "Klantreizen",
        "of": "van",
        "ranked_by": "de meeste eerst naar",
        "journey_pages": "Pagina's van de klantreizen",
        "and_more": "… en nog",
        "and_more_after": "andere",
        "none": "geen",
        "reason": "Contactreden",
        "per_channel": "Volumes per kanaal",
        "channel": "Kanaal",
        "total": "Totaal",
        "processes": "Processen en systemen eronder",
        "process": "Proces",
        "systems": "Systemen",
        "back": "Terug naar de plaat",
        "phase": "Fase",
        "stage": "Levensfase",
        "sign_in": "Aanmelden",
        "sign_out": "Afmelden",
        "token": "API-token",
        "token_help": (
            "Een token van `journeykg token create`; het blijft in "
            "een cookie die alleen de server leest."
        ),
        "signed_in_as": "Aangemeld als",
        "read_only": "Alleen lezen (anoniem)",
        "language": "Taal",
        "error": "Fout",
        "session_ended": "Uw sessie is verlopen of ingetrokken. Meld u opnieuw aan.",
        "needs_sign_in": "Deze pagina vraagt om aanmelding.",
        "forbidden": "Uw rol mag dit niet",
        "bad_form": (
            "Het formulier is verlopen of komt niet van deze site. Laad "
            "de pagina opnieuw en probeer het nog eens."
        ),
        "bad_token": "Dit token wordt niet geaccepteerd",
        "not_found": "Niet gevonden",
        "not_a_reason": "geen contactreden",
        "permission": "nodig recht",
        "blueprint": "Service blueprint",
        "lane": "Laag",
        "lane_customer": "Klant",
        "lane_front": "Frontstage: contactmomenten",
        "lane_back": "Backstage: processen",
        "emotion": "Emotie",
        "emotion_curve": "Emotiecurve",
        "moment_of_truth": "moment van de waarheid",
        "kpi_type": "Soort",
        "status": "Stand",
        "not_a_journey": "geen klantreis",
        "unavailable": "De opslag is nu niet bereikbaar; probeer het zo opnieuw.",
        "value": "waarde",
        "target": "doel",
        "kpi_history": "Verloop van de KPI's",
        "kpi_history_intro": "Elke gemeten waarde, per periode; de laatste is de waarde hierboven.",
        "history_trend": "Verloop",
        "period": "Periode",
        "no_measurements": "nog geen metingen",
    },
    "en": {
        "app": "journeykg workspace",
        "skip": "Skip to content",
        "picture": "Lifecycle picture",
        "picture_intro": (
            "The framework's stages, phases and contact reasons, coloured by the measure you pick."
        ),
        "measure": "Measure",
        "show": "Show",
        "contacts": "Contacts",
        "complaints": "Complaints",
        "cost": "Cost",
        "NPS": "NPS",
        "CES": "CES",
        "FCR": "FCR",
        "fcr_long": "First-contact resolution",
        "against_target": "against target",
        "no_data": "no data",
        "on_target": "on target",
        "near_target": "up to 10% off target",
        "off_target": "more than 10% off target",
        "legend": "Legend",
        "low": "low",
        "high": "high",
        "no_journey": "no journey",
        "journeys": "Journeys",
        "journeys_by_stage": "Journeys × stages",
        "journey": "Journey",
        "owner": "Owner",
        "kpis": "KPIs",
        "no_owner": "no owner",
        "no_kpi": "no KPI",
        "gaps": "Coverage gaps",
        "reasons_without_journey": "Contact reasons without a journey",
        "journeys_without_owner": "Journeys without an owner",
        "journeys_without_kpi": "Journeys without a KPI",
        "journeys_shown": "Journeys",
        "of": "of",
        "ranked_by": "most first by",
        "journey_pages": "Pages of the journeys",
        "and_more": "… and",
        "and_more_after": "more",
        "none": "none",
        "reason": "Contact reason",
        "per_channel": "Volumes per channel",
        "channel": "Channel",
        "total": "Total",
        "processes": "Processes and systems beneath",
        "process": "Process",
        "systems": "Systems",
        "back": "Back to the picture",
        "phase": "Phase",
        "stage": "Stage",
        "sign_in": "Sign in",
        "sign_out": "Sign out",
        "token": "API token",
        "token_help": (
            "A token from `journeykg token create`; it is kept in a cookie only the server reads."
        ),
        "signed_in_as": "Signed in as",
        "read_only": "Read only (anonymous)",
        "language": "Language",
        "error": "Error",
        "session_ended": "Your session has expired or was revoked. Please sign in again.",
        "needs_sign_in": "This page needs you to sign in.",
        "forbidden": "Your role may not do this",
        "bad_form": (
            "The form has expired or did not come from this site. Reload the page and try again."
        ),
        "bad_token": "This token is not accepted",
        "not_found": "Not found",
        "not_a_reason": "not a contact reason",
        "permission": "permission needed",
        "blueprint": "Service blueprint",
        "lane": "Lane",
        "lane_customer": "Customer",
        "lane_front": "Front stage: touchpoints",
        "lane_back": "Back stage: processes",
        "emotion": "Emotion",
        "emotion_curve": "Emotion curve",
        "moment_of_truth": "moment of truth",
        "kpi_type": "Type",
        "status": "Status",
        "not_a_journey": "not a journey",
        "unavailable": "The store cannot be reached right now; try again shortly.",
        "value": "value",
        "target": "target",
        "kpi_history": "KPI history",
        "kpi_history_intro": "Every measured value, per period; the latest is the value above.",
        "history_trend": "Trend",
        "period": "Period",
        "no_measurements": "no measurements yet",
    },
}

for _language, _words in RECORDS_WORDS.items():
    _WORDS[_language].update(_words)

for _language, _words in REPORT_WORDS.items():
    _WORDS[_language].update(_words)


# The glossary pages keep their words in their own module (merged in here, one catalogue).
for _language, _words in GLOSSARY_WORDS.items():
    _WORDS[_language].update(_words)

# The journey-mining page's words (web/mining_words.py).
for _language, _words in MINING_WORDS.items():
    _WORDS[_language].update(_words)


# The impact explorer's and the what-if page's words (web/explorer_words.py).
for _language, _words in EXPLORER_WORDS.items():
    _WORDS[_language].update(_words)

# So do the insight board and the initiative page (keys start with ins_).
for _language, _words in INSIGHT_WORDS.items():
    _WORDS[_language].update(_words)


def language_of(asked: str | None) -> str:
    """``asked`` if it is one of the workspace's languages, else the default (Dutch)."""
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Texts:
    """The words and number formats of one language, as the templates use them."""

    language: str

    def __call__(self, key: str) -> str:
        """The word for ``key`` (a KeyError for a missing one, so a typo fails a test)."""
        return _WORDS[self.language][key]

    @property
    def locale(self) -> str:
        return _LOCALES[self.language]

    def number(self, value: float | None, places: int = 0) -> str:
        """A count or score as this language writes it (12.345 in nl, 12,345 in en)."""
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def euros(self, value: float | None) -> str:
        """An amount in euros, without cents."""
        if value is None:
            return "–"
        return format_currency(
            value, "EUR", format="¤ #,##0", locale=self.locale, currency_digits=False
        )

    def percent(self, share: float | None) -> str:
        """A share (0.8) as a percentage (80%)."""
        if share is None:
            return "–"
        return format_percent(share, format="#,##0.0%", locale=self.locale)

    def date(self, value: date | datetime | str | None) -> str:
        """A date (or an ISO date text) in this language's medium form."""
        if value is None:
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        if isinstance(value, datetime):
            return format_datetime(value, format="medium", locale=self.locale)
        return format_date(value, format="medium", locale=self.locale)


def texts(language: str) -> Texts:
    """The :class:`Texts` of ``language`` (one of :data:`LANGUAGES`)."""
    return Texts(language_of(language))
