"""What a sync may not touch: governed data and elements another source owns.

Pure rules over what the planner read; each refusal is a :class:`Problem`
that names the element, the property and the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from rdflib import URIRef
from rdflib.term import Node

from journeykg.loaders.source import MappedRecord
from journeykg.namespaces import JKG, REG, SKOS
from journeykg.validation.gate import curie
from journeykg.validation.problems import Problem

#: Classes whose instances change only through the governance workflow: the
#: lifecycle framework and its schemes (glossaries are schemes too).
GOVERNED_TYPES = frozenset({JKG.LifecycleStage, JKG.Phase, JKG.ContactReason, SKOS.ConceptScheme})
#: Statuses only the governance board gives; a sync may not assert them.
DECIDED_STATUSES = frozenset(
    {JKG.statusApproved, JKG.statusSuperseded, JKG.statusRetired, JKG.statusRejected}
)
GOVERNED_RULE = "governed data"
OWNED_RULE = "owned by another source"

#: An element's key (``process/x``) from its IRI, as :meth:`Identifiers.key` gives it.
KeyOf = Callable[[str], str]


def is_governed(types: Collection[Node], approved: bool) -> bool:
    """Whether an element with these types (and approved, or not) is governed data."""
    return bool(GOVERNED_TYPES.intersection(types)) or approved


def subject_problems(
    key_of: KeyOf,
    origin: str,
    subject: URIRef,
    types: set[Node],
    approved: bool,
    owner: Node | None,
    source: URIRef,
) -> list[Problem]:
    """Why a record may not write ``subject``: governed, approved, or another source's."""
    problems: list[Problem] = []
    governed = types & GOVERNED_TYPES
    if governed:
        problems.append(_framework(key_of(str(subject)), origin, governed))
    elif approved:
        problems.append(_approved(key_of(str(subject)), origin))
    if owner is not None and owner != source:
        problems.append(_owned_elsewhere(key_of, origin, key_of(str(subject)), owner))
    return problems


def _framework(key: str, origin: str, governed: set[Node]) -> Problem:
    kind = curie(URIRef(min(str(t) for t in governed)))
    return Problem(
        file=origin,
        node=key,
        property="rdf:type",
        value=kind,
        rule=GOVERNED_RULE,
        message=(
            f"{key} is part of the lifecycle framework ({kind}); it changes "
            "only through the governance workflow, never by a sync"
        ),
    )


def _approved(key: str, origin: str) -> Problem:
    return Problem(
        file=origin,
        node=key,
        property="reg:status",
        value="jkg:statusApproved",
        rule=GOVERNED_RULE,
        message=(
            f"{key} is an approved definition; it changes only "
            "through the governance workflow, never by a sync"
        ),
    )


def _owned_elsewhere(key_of: KeyOf, origin: str, key: str, owner: Node) -> Problem:
    return Problem(
        file=origin,
        node=key,
        property="jkg:syncedFrom",
        value=key_of(str(owner)),
        rule=OWNED_RULE,
        message=(
            f"{key} belongs to {key_of(str(owner))}; one element has "
            "one owning source, or retirement could not be exact"
        ),
    )


def decided_statuses(key_of: KeyOf, record: MappedRecord) -> list[Problem]:
    """The statuses ``record`` asserts that only the governance board may give."""
    # The record's graph, for the order in which it lists them.
    return [
        Problem(
            file=record.origin,
            node=key_of(str(node)),
            property="reg:status",
            value=curie(status),
            rule=GOVERNED_RULE,
            message="only the governance board decides a status; a sync cannot",
        )
        for node, status in record.graph.subject_objects(REG.status)
        if status in DECIDED_STATUSES
    ]


def foreign_key(record: MappedRecord, name: str) -> Problem:
    """A record keyed on another source than the one being synced."""
    return Problem(
        file=record.origin,
        rule="record of this source",
        message=f"the record is keyed on source {record.source!r}, not {name!r}",
    )
