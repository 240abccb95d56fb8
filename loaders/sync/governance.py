"""What a sync may not touch: governed data, and elements its own source did not create.

Pure rules over what the planner read; each refusal is a :class:`Problem`
that names the element, the property and the rule. What is governed is
:mod:`journeykg.graph.governed`'s, the same for every write path; a sync
adds that it never writes a governed element at all, not even to repeat it
(it would take over its provenance), and never brings one in.

Sources own what they create: a record may write only elements that are new
or that its own source created (``jkg:syncedFrom``). An element of another
source, or one made by hand (a file load, a scenario), is refused, so that
two origins are never merged and retirement stays exact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.term import Node

from journeykg.graph.governed import GOVERNED_CLASSES, Governance, GovernedChange, changes_of
from journeykg.graph.governed_steps import GOVERNED_RULE, refusals
from journeykg.ids import Identifiers
from journeykg.loaders.source import MappedRecord, Triple
from journeykg.namespaces import DCTERMS, JKG, REG
from journeykg.validation.gate import curie
from journeykg.validation.problems import Problem

#: Statuses only the governance board gives; a sync may not assert them.
DECIDED_STATUSES = frozenset(
    {JKG.statusApproved, JKG.statusSuperseded, JKG.statusRetired, JKG.statusRejected}
)
OWNED_RULE = "owned by another source"
HAND_MADE_RULE = "made by hand, not by a source"

#: An element's key (``process/x``) from its IRI, as :meth:`Identifiers.key` gives it.
KeyOf = Callable[[str], str]


@dataclass
class RecordVerdict:
    """What the rules say about one record: changes to governed data, and other refusals."""

    changes: list[GovernedChange] = field(default_factory=list)
    """Fields of stored governed elements the record would change."""
    problems: list[Problem] = field(default_factory=list)
    """Every other reason not to write the record."""

    def refusals(self, ids: Identifiers, origin: str) -> list[Problem]:
        """All of it as problems, the governed changes first."""
        return refusals(self.changes, ids, origin) + self.problems

    @property
    def proposable(self) -> bool:
        """Only changes to texts a change proposal can carry, and nothing else wrong."""
        return bool(self.changes) and not self.problems and all(c.proposable for c in self.changes)


def governed_subject(
    ids: Identifiers,
    origin: str,
    subject: URIRef,
    governance: Governance,
    stored: Graph,
    triples: Sequence[Triple],
    verdict: RecordVerdict,
) -> None:
    """A stored governed ``subject``: what the record changes of it, or that it repeats it."""
    said = Graph()
    for s, p, o in triples:
        if s == subject:
            said.add((s, p, o))
    changes = changes_of(stored, said, subject, governance, retracted=False)
    if changes:
        verdict.changes += changes
        return
    key = ids.key(str(subject))
    verdict.problems.append(
        Problem(
            file=origin,
            node=key,
            rule=GOVERNED_RULE,
            message=(
                f"{key} is {governance.kind} ({governance.status_text()}); a sync never writes "
                "governed data, not even to repeat it: it changes only through the governance "
                "workflow"
            ),
        )
    )


def brought_in(key_of: KeyOf, origin: str, subject: URIRef, types: set[Node]) -> list[Problem]:
    """A record that types ``subject`` as governed data: a sync does not bring any in."""
    kinds = [(cls, name) for cls, name in GOVERNED_CLASSES.items() if cls in types]
    if not kinds:
        return []
    cls, kind = kinds[0]
    key = key_of(str(subject))
    return [
        Problem(
            file=origin,
            node=key,
            property="rdf:type",
            value=curie(cls),
            rule=GOVERNED_RULE,
            message=(
                f"{key} would be {kind}, governed data that a sync never brings in or changes: "
                "load it (journeykg load) or propose it (journeykg governance propose)"
            ),
        )
    ]


def owned_elsewhere(key_of: KeyOf, origin: str, subject: URIRef, owner: Node) -> Problem:
    """A record writing an element another source created."""
    key = key_of(str(subject))
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


def hand_made(
    key_of: KeyOf, origin: str, source: str, subject: URIRef, run: Node | None, makers: Graph
) -> Problem:
    """A record writing an element no source created: loaded from a file, or made by hand."""
    key = key_of(str(subject))
    file = makers.value(run, DCTERMS.source) if run is not None else None
    made = (
        f"loaded from {file} ({key_of(str(run))})"
        if file is not None and run is not None
        else "made outside any sync"
    )
    return Problem(
        file=origin,
        node=key,
        property="jkg:syncedFrom",
        value=key_of(str(run)) if run is not None else None,
        rule=HAND_MADE_RULE,
        message=(
            f"{key} was {made}, not by a source; a sync changes only the elements its own "
            f"source created, so {source} does not merge into it. Give the record another id "
            "in the source"
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
