"""The client side of ``journeykg load`` as it was before issue 20's client work (at 5dc33a9).

``bench/neo4j_product_load.py --paths embedded-oldclient,embedded`` (or
``batched-oldclient,batched``) loads the same file with this client and
with the product's: the figures before and after come from one run on one
machine state (docs/benchmarks.md, "Neo4j product load"). Only the bench
uses it. Inside :func:`baseline_client`:

- Python's cyclic garbage collector runs throughout (loaders/collector_pause.py);
- the file is parsed by rdflib (loaders/rdf_file.py), not Oxigraph;
- the gate builds the merged view in a context-free graph and pySHACL
  validates a copy of it (validation/gate.py ``check`` as it was);
- the governance check looks at every subject, also when the store holds
  none of them, and ``without_subjects`` builds rdflib's default graph;
- the audit compares sets of rdflib triples and spells each triple with
  rdflib's ``_nt_row`` (the stored values are read as before).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, nullcontext

from rdflib import Graph, URIRef
from rdflib.plugins.serializers.nt import _nt_row

from journeykg.graph import audited, governed
from journeykg.graph.audit_change import Triple, value
from journeykg.graph.audit_journal import Change
from journeykg.graph.governed import Describes, GovernedWrite
from journeykg.ids import Identifiers
from journeykg.loaders import pipeline
from journeykg.loaders.rdf_file import read_rdf
from journeykg.validation import gate
from journeykg.validation.gate import GateResult, StoredContext


def _check(
    delta: Graph,
    store: StoredContext | None,
    source: str,
    ids: Identifiers,
    *,
    context: Graph | None = None,
    retract: Collection[URIRef] = (),
) -> GateResult:
    data = gate.merged_view(delta, store, retract)
    if context is not None:
        replaced = {(s, p) for s, p, _ in delta}
        for s, p, o in context:
            if (s, p) not in replaced:
                data.add((s, p, o))
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)})
    if not focus:
        return GateResult(conforms=True)
    conforms, results = gate.run_shacl(data, focus)
    problems = sorted(gate._problems(results, source, ids), key=gate._order)
    return GateResult(conforms=conforms, problems=problems)


def _inspect_write(
    store: Describes,
    delta: Graph,
    retract: Collection[URIRef] = (),
    *,
    stored: Graph | None = None,
) -> GovernedWrite:
    gone = set(retract)
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)} | gone
    wanted = governed.with_record_parents(subjects)
    if stored is None:
        view = store.describe(wanted) if wanted else Graph()
    else:
        view = stored
        parents = wanted - subjects
        if parents:
            view = Graph()
            for graph in (stored, store.describe(parents)):
                for triple in graph:
                    view.add(triple)
    write = GovernedWrite()
    for subject in sorted(subjects):
        governance = governed.governance_of(view, subject)
        if governance is None:
            continue
        changes = governed.changes_of(view, delta, subject, governance, retracted=subject in gone)
        if changes:
            write.changes += changes
        else:
            write.repeated.add(subject)
    return write


def _without_subjects(delta: Graph, subjects: Collection[URIRef]) -> Graph:
    if not subjects:
        return delta
    kept = Graph()
    for prefix, namespace in delta.namespaces():
        kept.bind(prefix, namespace)
    for s, p, o in delta:
        if s not in subjects:
            kept.add((s, p, o))
    return kept


def _change_of(replaced: Iterable[Triple], new: Iterable[Triple]) -> Change:
    """The audit's change as graph/audited.py computed it: sets of rdflib triples."""
    before = {value(t) for t in replaced}
    after = {value(t) for t in new}
    removed, added = before - after, after - before
    return Change(
        elements={str(t[0]) for t in removed | added if isinstance(t[0], URIRef)},
        removed="".join(sorted(_nt_row(t) for t in removed)),
        added="".join(sorted(_nt_row(t) for t in added)),
        removed_count=len(removed),
        added_count=len(added),
    )


#: Each module's names that the old client replaces, with the old function.
_OLD = (
    (pipeline, "collector_paused", nullcontext),
    (pipeline, "read_large_rdf", read_rdf),
    (pipeline, "check", _check),
    (pipeline, "check_compiled", _check),
    (pipeline, "inspect_write", _inspect_write),
    (pipeline, "without_subjects", _without_subjects),
    (audited, "inspect_write", _inspect_write),
    (audited, "change_of", _change_of),
)


@contextmanager
def baseline_client() -> Iterator[None]:
    """``load_file`` runs the old client inside the block (the write itself is untouched)."""
    product = [(module, name, getattr(module, name)) for module, name, _ in _OLD]
    for module, name, old in _OLD:
        setattr(module, name, old)
    try:
        yield
    finally:
        for module, name, new in product:
            setattr(module, name, new)
