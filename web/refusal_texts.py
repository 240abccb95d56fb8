"""A refused workflow step's message in each of the workspace's languages.

The governance service refuses in English (the API's and the CLI's message);
the web pages say the same in the page's language. Each refusal carries what
it is about as data (the error's class and code, a request error's ``reason``
and ``details``, a shape's IRI), so the Dutch text is built from those
particulars, never from the English sentence. A shape's violation is said
with the shape's own ``sh:message`` in that language (shapes/ gives every
governance shape one in nl and en). English is the service's message itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from rdflib import Literal, URIRef

from journeykg.graph.errors import UnknownElementError
from journeykg.ids import ID_RULE, InvalidIdentifierError
from journeykg.namespaces import PREFIXES, SH
from journeykg.ontology_graph import load_shapes
from journeykg.services.governance.errors import (
    ElementBusyError,
    GovernanceRequestError,
    GovernanceValidationError,
    IllegalTransitionError,
    NotPermittedError,
    StaleVersionError,
    StillReferencedError,
)
from journeykg.validation.problems import Problem

#: Dutch words for what the service's English message is about (``str.format`` fields).
DUTCH: dict[str, str] = {
    "STALE": (
        "{item} staat op versie {current}, niet op {expected}: het is gewijzigd sinds u het "
        "las; laad de pagina opnieuw, bekijk de wijziging en probeer het nog eens"
    ),
    "STALE_GONE": "{item} is er niet meer in versie {expected}: laad de pagina opnieuw",
    "ILLEGAL_TRANSITION": "{action} kan niet voor {item}: het is {current}",
    "FORBIDDEN": (
        "alleen een beheerder (steward) van het governance-orgaan mag vaststellen, afwijzen, "
        "uitfaseren, migreren of verwijderen"
    ),
    "REFERENCED": (
        "er wijzen nog {count} verwijzing(en) naar ({references}); vervang het door een "
        "opvolger en migreer de verwijzingen"
    ),
    "BUSY": "{item} is bezet door een andere stap; probeer het zo weer",
    "INVALID": "{count} schending(en) van de regels; er is niets geschreven",
    "NOT_FOUND": "onbekend element {ident}: niets in de graaf heeft de IRI <{iri}>",
    "BAD_ID": "{ident} is geen geldige sleutel of IRI (regel {rule})",
    "exists": ("{item} bestaat al ({status}); stel in plaats daarvan een wijziging ervan voor"),
    "open_proposal": (
        "voor {item} staat wijzigingsvoorstel {proposal} nog open; stel dat eerst vast of wijs "
        "het af"
    ),
    "no_change": (
        "de voorgestelde wijziging van {item} verandert niets: het is de vastgestelde tekst"
    ),
    "replaces_itself": "{item} kan zichzelf niet vervangen",
    "other_kind": (
        "{replacement} is een ander soort element dan {item}; verwijzingen kunnen alleen naar "
        "hetzelfde soort"
    ),
    "nothing_to_migrate": "niets verwijst nog naar {item}; er is niets te migreren",
    "no_reason": "geef een reden (die komt in het audit-spoor)",
    "not_a_moment": "{text} is geen datum (2025-03-01) of tijdstip (2025-03-01T12:00:00Z)",
    "no_version": "{item} heeft geen versie {number}; het heeft versie(s) {versions}",
}

#: Dutch names of the workflow's steps and statuses, for the texts above.
DUTCH_ACTIONS = {
    "submit": "Indienen",
    "approve": "Vaststellen",
    "reject": "Afwijzen",
    "supersede": "Vervangen",
    "retire": "Intrekken",
    "delete": "Verwijderen",
}
DUTCH_STATUSES = {
    "draft": "concept",
    "proposed": "voorgesteld",
    "approved": "vastgesteld",
    "superseded": "vervangen",
    "retired": "ingetrokken",
    "rejected": "afgewezen",
}


def refusal_texts(exc: Exception) -> dict[str, str]:
    """``exc``'s message per language: English as the service says it, Dutch from its data."""
    return {"en": _english(exc), "nl": _dutch(exc)}


def _english(exc: Exception) -> str:
    if isinstance(exc, GovernanceValidationError):
        return "; ".join([exc.summary, *(p.message for p in exc.problems)])
    return str(exc)


def _dutch(exc: Exception) -> str:
    for kind, say in _SAYINGS:
        if isinstance(exc, kind):
            return say(exc)
    # A refusal this module does not know yet: the service's own words beat none.
    return str(exc)


def _stale(exc: StaleVersionError) -> str:
    if exc.current is None:
        return DUTCH["STALE_GONE"].format(item=exc.item, expected=exc.expected)
    return DUTCH["STALE"].format(item=exc.item, expected=exc.expected, current=exc.current)


def _illegal(exc: IllegalTransitionError) -> str:
    return DUTCH["ILLEGAL_TRANSITION"].format(
        action=DUTCH_ACTIONS.get(exc.action, exc.action),
        item=exc.item,
        current=DUTCH_STATUSES.get(exc.current, exc.current),
    )


def _referenced(exc: StillReferencedError) -> str:
    shown = ", ".join(f"{r.subject} {r.predicate} {r.object}" for r in exc.references[:5])
    more = len(exc.references) - 5
    return DUTCH["REFERENCED"].format(
        count=len(exc.references), references=shown + (f", … (+{more})" if more > 0 else "")
    )


def _request(exc: GovernanceRequestError) -> str:
    details = dict(exc.details)
    if "status" in details:
        details["status"] = DUTCH_STATUSES.get(details["status"], details["status"])
    if exc.reason == "no_version" and not details.get("versions"):
        details["versions"] = "geen"
    if exc.reason in DUTCH:
        return DUTCH[exc.reason].format(**details)
    return str(exc)


def _invalid(exc: GovernanceValidationError) -> str:
    summary = DUTCH["INVALID"].format(count=len(exc.problems))
    return "; ".join([summary, *(shape_message(p, "nl") for p in exc.problems)])


def shape_message(problem: Problem, language: str) -> str:
    """The ``sh:message`` of the shape ``problem`` broke, in ``language`` (else its own message).

    The gate names the shape in ``problem.rule`` (``jkgsh:Decision-rationale
    (MinLengthConstraintComponent)``); its placeholders are filled as the gate
    fills them (``{$value}``, ``{$this}``).
    """
    shape = problem.rule.split(" ", 1)[0]
    messages = _shape_messages(_expanded(shape))
    message = messages.get(language)
    if message is None:
        return problem.message
    values = {"value": problem.value or "", "this": problem.node or ""}
    # A SPARQL constraint's message names its own variables ({?other}); the gate keeps the
    # English message filled in, so the English template says what each variable was.
    values.update(_bindings(messages.get("en", ""), problem.message) or {})
    filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), message)
    return problem.message if _PLACEHOLDER.search(filled) else filled


#: ``{$value}``, ``{?other}``: a variable in a shape's message.
_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


def _bindings(template: str, filled: str) -> dict[str, str] | None:
    """The value of each of ``template``'s variables in ``filled`` (None if it does not fit)."""
    pattern, seen = "", set()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        pattern += re.escape(template[position : match.start()])
        name = match.group(1)
        pattern += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
        seen.add(name)
        position = match.end()
    pattern += re.escape(template[position:])
    found = re.fullmatch(pattern, filled, re.S) if seen else None
    return found.groupdict() if found else None


def _expanded(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and local else curie


@cache
def _shape_messages(shape: str) -> Mapping[str, str]:
    """A shape's messages by language (the shapes never change while the process runs).

    A SPARQL-based shape may carry its messages on its constraint instead.
    """
    shapes = load_shapes()
    holders = [URIRef(shape), *shapes.objects(URIRef(shape), SH.sparql)]
    return {
        m.language: str(m)
        for holder in holders
        for m in shapes.objects(holder, SH.message)
        if isinstance(m, Literal) and m.language
    }


def _say(kind: str) -> Callable[[Exception], str]:
    return lambda exc: DUTCH[kind]


_SAYINGS: tuple[tuple[type[Exception], Callable[[Any], str]], ...] = (
    (StaleVersionError, _stale),
    (IllegalTransitionError, _illegal),
    (NotPermittedError, _say("FORBIDDEN")),
    (StillReferencedError, _referenced),
    (ElementBusyError, lambda exc: DUTCH["BUSY"].format(item=exc.item)),
    (GovernanceValidationError, _invalid),
    (GovernanceRequestError, _request),
    (
        UnknownElementError,
        lambda exc: DUTCH["NOT_FOUND"].format(ident=repr(exc.ident), iri=exc.iri),
    ),
    (
        InvalidIdentifierError,
        lambda exc: DUTCH["BAD_ID"].format(ident=repr(exc.ident), rule=ID_RULE),
    ),
)
