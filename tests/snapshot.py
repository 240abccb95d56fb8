"""What a refusal must leave untouched: the stored graph, the elements' history, the audit journal.

``snapshot(store, ["concept/fcr"])`` dumps all three as text; a refused step
is correct only if the snapshots taken before and after it are identical,
byte for byte. The graph is the whole export in canonical N-Triples (numbers
in one spelling, blank nodes relabelled by content, lines sorted), so two
dumps differ exactly when the stored triples do.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.nt import _nt_row

from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical_term
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.store import Store
from journeykg.services.governance import service


@dataclass(frozen=True)
class Snapshot:
    """A store's state as text, one field per thing a refusal must not change."""

    graph: str
    """Every stored triple, canonical N-Triples, sorted."""
    history: str
    """Versions, workflow steps and change proposals of the named elements, as JSON."""
    journal: str
    """Every audit journal entry, oldest first, as JSON lines."""


def snapshot(store: Store, elements: Iterable[str] = ()) -> Snapshot:
    """The graph, the history of ``elements`` and the journal of an audited ``store``."""
    assert isinstance(store, AuditedStore), f"{store!r} keeps no audit journal"
    return Snapshot(
        graph=graph_dump(store.export()),
        history=history_dump(store, elements),
        journal=journal_dump(store.journal),
    )


def graph_dump(graph: Graph) -> str:
    """``graph`` as sorted canonical N-Triples."""
    plain = Graph()
    for s, p, o in graph:
        plain.add((s, p, canonical_term(o)))
    if any(isinstance(t, BNode) for triple in plain for t in triple):
        plain = to_canonical_graph(plain)
    return "".join(sorted(_nt_row(t) for t in plain))


def history_dump(store: Store, elements: Iterable[str]) -> str:
    """Everything the governance service tells about each element, or that it names nothing."""
    told: dict[str, Any] = {}
    for ident in sorted(set(elements)):
        try:
            told[ident] = dataclasses.asdict(service.history(store, ident))
        except UnknownElementError:
            told[ident] = None
    return json.dumps(told, indent=1, sort_keys=True, default=_plain)


def journal_dump(journal: AuditJournal) -> str:
    """Every entry of ``journal``, oldest first, one JSON object a line."""
    entries, _ = journal.entries()
    return "".join(
        json.dumps(dataclasses.asdict(e), sort_keys=True, default=_plain) + "\n"
        for e in reversed(entries)
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(type(value))
