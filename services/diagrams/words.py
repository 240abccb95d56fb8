"""The words of the diagrams in nl and en: element classes, relations, captions."""

from __future__ import annotations

from babel.numbers import format_decimal

LANGUAGES = ("nl", "en")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}

_CLASSES: dict[str, tuple[str, str]] = {
    # class: (nl, en)
    "BackofficeProcess": ("Proces", "Process"),
    "ITSystem": ("IT-systeem", "IT system"),
    "Role": ("Rol", "Role"),
    "Touchpoint": ("Contactmoment", "Touchpoint"),
    "Step": ("Stap", "Step"),
    "Journey": ("Klantreis", "Journey"),
    "ContactReason": ("Contactreden", "Contact reason"),
    "Phase": ("Fase", "Phase"),
    "LifecycleStage": ("Levensfase", "Lifecycle stage"),
    "KPI": ("KPI", "KPI"),
    "KPIType": ("KPI-type", "KPI type"),
    "Owner": ("Eigenaar", "Owner"),
    "Channel": ("Kanaal", "Channel"),
    "Concept": ("Begrip", "Concept"),
}

_RELATIONS: dict[str, tuple[str, str]] = {
    "DEPENDS_ON": ("hangt af van", "depends on"),
    "USES_SYSTEM": ("gebruikt systeem", "uses system"),
    "PERFORMED_BY": ("uitgevoerd door", "performed by"),
    "SUPPORTED_BY": ("ondersteund door", "supported by"),
    "AT_STEP": ("bij stap", "at step"),
    "STEP_OF": ("stap van", "step of"),
    "PLACED_ON": ("geplaatst op", "placed on"),
    "IN_PHASE": ("in fase", "in phase"),
    "IN_STAGE": ("in levensfase", "in stage"),
    "MEASURES": ("meet", "measures"),
    "OWNED_BY": ("eigendom van", "owned by"),
    "VIA_CHANNEL": ("via kanaal", "via channel"),
    "KPI_TYPE": ("KPI-type", "KPI type"),
    "EXPLAINS": ("verklaart", "explains"),
}

_CAPTIONS: dict[str, tuple[str, str]] = {
    "affects": ("Wat een wijziging van {label} raakt", "What a change to {label} affects"),
    "needs": ("Waar {label} van afhangt", "What {label} depends on"),
    "hop": ("stap {hop}", "hop {hop}"),
    "start": ("vertrekpunt", "start"),
    "clustered": (
        "{elements} elementen, meer dan {threshold}: gegroepeerd per klasse en stap "
        "({nodes} groepen)",
        "{elements} elements, more than {threshold}: clustered by class and hop ({nodes} groups)",
    ),
    "cut": (
        "afgekapt na {hops} stappen: {count} element(en) reiken verder",
        "cut at {hops} hops: {count} element(s) reach further",
    ),
    "lifecycle": ("Levenscyclusplaat", "Lifecycle picture"),
    "contacts": ("contacten", "contacts"),
    "complaints": ("klachten", "complaints"),
    "journeys": (
        "Klantreizen, met de contactredenen waarop ze geplaatst zijn",
        "Journeys, linked to the contact reasons they are placed on",
    ),
}


def _index(language: str) -> int:
    if language not in LANGUAGES:
        raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
    return LANGUAGES.index(language)


def class_name(cls: str, language: str) -> str:
    """The name of an element class in ``language`` (the class itself when unknown)."""
    names = _CLASSES.get(cls)
    return names[_index(language)] if names else cls


def relation_name(relation: str, language: str) -> str:
    """The name of a relation (DEPENDS_ON) in ``language``."""
    names = _RELATIONS.get(relation)
    return names[_index(language)] if names else relation.lower().replace("_", " ")


def caption(key: str, language: str, **values: object) -> str:
    """A caption of the diagrams in ``language`` with ``values`` filled in."""
    return _CAPTIONS[key][_index(language)].format(**values)


def number(value: int, language: str) -> str:
    """``value`` as ``language`` writes it (12.345 in nl, 12,345 in en; CLDR's rules via Babel)."""
    _index(language)
    return str(format_decimal(value, locale=_LOCALES[language]))
