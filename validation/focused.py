"""The SHACL gate on a delta's own subjects, by the compiled shapes where they apply.

:func:`journeykg.validation.gate.check` runs pySHACL on every delta, about
0.3 s a write even for a handful of triples. The writes that follow a sync
(the loop's signals and insights, :mod:`journeykg.services.insights`) and
the sync's own batches validate the same focus nodes by the compiled subset
of SHACL (:mod:`.fast_shacl`, held to pySHACL's results on every shape
fixture by tests/validation/test_fast_shacl.py) and hand only the focus
nodes a shape outside that subset targets (SPARQL constraints, ...) to
pySHACL: the same results, a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Collection

from rdflib import Graph, URIRef

from journeykg.ids import Identifiers
from journeykg.validation.fast_shacl import compiled_shapes, results_graph
from journeykg.validation.gate import (
    GateResult,
    StoredContext,
    _order,
    _problems,
    merged_view,
    run_shacl,
)


def validate_focus(data: Graph, focus: list[URIRef]) -> Graph:
    """SHACL results for ``focus`` in ``data``: compiled shapes where they apply, else pySHACL.

    The compiled subset (:mod:`.fast_shacl`) gives pySHACL's results exactly
    (tests/validation/test_fast_shacl.py) at a hundredth of the cost; focus nodes
    targeted by a shape outside that subset (SPARQL constraints, ...) go to pySHACL.
    """
    compiled = compiled_shapes()
    fast, slow = compiled.split(focus, data)
    results = results_graph(compiled.validate(fast, data))
    if slow:
        _, slow_results = run_shacl(data, slow)
        results += slow_results
    return results


def check_focused(
    delta: Graph,
    store: StoredContext | None,
    source: str,
    ids: Identifiers,
    *,
    retract: Collection[URIRef] = (),
) -> GateResult:
    """:func:`journeykg.validation.gate.check` (without ``context``), by :func:`validate_focus`."""
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)})
    if not focus:
        return GateResult(conforms=True)
    data = merged_view(delta, store, retract)
    problems = sorted(_problems(validate_focus(data, focus), source, ids), key=_order)
    return GateResult(
        conforms=not any(p.severity == "Violation" for p in problems), problems=problems
    )
