"""Costs reached along paths summed by journeykg's plugin (journeykg.reachedTotals) equal the
Cypher statement's, which Neo4jStore.reached_totals asks where the plugin is absent.

Every question is asked of the same Neo4j store twice, through the procedure and through
the statement, and the statements sent are recorded, so that a silent fallback cannot
pass for the procedure. The conformance suite (tests/graph/test_conformance.py) holds
both to the definition, graph/fact_totals.py, on hand-worked answers.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from bench.synthetic import generate
from journeykg.graph.errors import StoreError
from journeykg.graph.fact_totals import reached_totals_read_out
from journeykg.graph.neo4j_reached import PROCEDURE, ServerReachedTotals
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.quantify import COST_PATHS
from journeykg.graph.store import ReachedTotals
from journeykg.namespaces import JKG, RDF
from tests.conftest import BASE
from tests.graph.plugin_calls import recorded_store_fixture
from tests.graph.test_conformance import _random_organisation, _reached_tricky

pytestmark = pytest.mark.neo4j

ARGS = (COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
#: A piece of the Cypher statement only the fallback sends.
STATEMENT = "collect(iri) AS reaching"


#: The Neo4j store, empty, its statements recorded in ``neo.sent``.
neo = recorded_store_fixture(
    ServerReachedTotals, "_server_totals", "journeykg.reachedTotals", "reached_in_server"
)


def _both(neo: Neo4jStore, roots: list[URIRef]) -> tuple[ReachedTotals, ReachedTotals]:
    """The answer through the procedure, then through the statement; each path checked sent."""
    sent: list[str] = neo.sent  # type: ignore[attr-defined]
    sent.clear()
    neo.reached_in_server = True
    by_plugin = neo.reached_totals(roots, *ARGS)
    assert any(PROCEDURE in q for q in sent), "the procedure was not called"
    assert not any(STATEMENT in q for q in sent), "the Cypher statement was asked as well"
    sent.clear()
    neo.reached_in_server = False
    by_cypher = neo.reached_totals(roots, *ARGS)
    assert any(STATEMENT in q for q in sent)
    assert not any(PROCEDURE in q for q in sent)
    neo.reached_in_server = True
    return by_plugin, by_cypher


def _same(a: ReachedTotals, b: ReachedTotals) -> None:
    # Float sums in another order may differ in the last bits; nothing more.
    assert a.per_root.keys() == b.per_root.keys()
    assert a.per_root == pytest.approx(b.per_root, rel=1e-12, abs=1e-9)
    assert a.overall == pytest.approx(b.overall, rel=1e-12)


def test_the_plugin_sums_what_the_statement_sums_with_hubs(neo: Neo4jStore) -> None:
    org = generate(3_000)
    neo.upsert(org.graph)
    journeys = sorted(URIRef(j) for j in neo.class_facts(JKG.Journey))
    roots = [*journeys, URIRef(BASE + "journey/not-stored")]
    by_plugin, by_cypher = _both(neo, roots)
    _same(by_plugin, by_cypher)
    assert len(journeys) > 50
    assert by_plugin.overall > 0
    # Hub processes are reached by many journeys: the overall total counts each once.
    assert by_plugin.overall < sum(by_plugin.per_root.values())
    _same(by_plugin, reached_totals_read_out(neo, roots, *ARGS))


@pytest.mark.parametrize("seed", [4, 5])
def test_the_plugin_sums_random_organisations_as_the_statement(neo: Neo4jStore, seed: int) -> None:
    data, roots = _random_organisation(seed)
    neo.upsert(data)
    _same(*_both(neo, roots))


def test_the_plugin_reads_the_names_with_the_datatype_mark(neo: Neo4jStore) -> None:
    neo.upsert(_reached_tricky())
    # The case is only a case if the store did put these under the marked names.
    keys = {
        r["iri"][len(BASE) :]: sorted(r["keys"])
        for r in neo._read("MATCH (c:Cost) RETURN c.iri AS iri, keys(c) AS keys")
    }
    period, amount = neo.mapping.name(JKG.period), neo.mapping.name(JKG.amountEur)
    assert f"{period}^^xsd_string" in keys["cost/u1-month"], keys["cost/u1-month"]
    assert f"{amount}^^xsd_integer" in keys["cost/u2-int"], keys["cost/u2-int"]
    assert f"{amount}^^xsd_decimal" in keys["cost/u3-long"], keys["cost/u3-long"]
    roots = [URIRef(BASE + f"journey/k{k}") for k in (1, 2, 9)]
    by_plugin, by_cypher = _both(neo, roots)
    _same(by_plugin, by_cypher)
    assert by_plugin.per_root[roots[0]] == pytest.approx(65.5)


def _call(neo: Neo4jStore, roots: list[str], paths: list[dict[str, Any]]) -> Any:
    name = neo.mapping.name
    return neo._read(
        f"CALL {PROCEDURE}($roots, $paths, $link, $amount, $period, '^^') "
        "YIELD roots, totals, overall, reached RETURN *",
        roots=roots,
        paths=paths,
        link=name(JKG.costOf),
        amount=name(JKG.amountEur),
        period=name(JKG.period),
    )[0]


def _path(neo: Neo4jStore, *hops: tuple[URIRef, bool]) -> dict[str, Any]:
    return {"types": [neo.mapping.name(p) for p, _ in hops], "inverse": [i for _, i in hops]}


def test_the_procedure_with_no_roots_unknown_and_repeated_roots(neo: Neo4jStore) -> None:
    neo.upsert(_reached_tricky())
    empty = _call(neo, [], [])
    assert (empty["roots"], empty["totals"], empty["overall"], empty["reached"]) == ([], [], 0.0, 0)
    k1 = BASE + "journey/k1"
    path = _path(neo, (JKG.stepOf, True), (JKG.atStep, True))
    # A root named twice is answered once; an unknown root is left out (Python counts 0).
    once = _call(neo, [k1, BASE + "journey/k9", k1], [path])
    assert once["roots"] == [k1]
    assert once["totals"] == pytest.approx([1 + 7 + 15.5])  # itself, u1 once, u2
    assert once["reached"] == 3


def test_the_procedure_names_a_malformed_path(neo: Neo4jStore) -> None:
    with pytest.raises(StoreError, match="a path needs `types` and `inverse` of one length"):
        _call(neo, [BASE + "journey/k1"], [{"types": ["stepOf"], "inverse": []}])


def test_a_period_stored_as_a_date_time_is_compared_as_cypher_spells_it(neo: Neo4jStore) -> None:
    """A writer other than journeykg may store a period as a local date-time under the plain
    name. Cypher's toString spells it with its zero seconds, as the text period beside it
    is written; java.time's toString leaves them out, which would make it an older period."""
    journey = URIRef(BASE + "journey/dt")
    graph = Graph()
    for name, amount in (("dt-1", 10), ("dt-2", 5)):
        cost = URIRef(BASE + f"cost/{name}")
        graph.add((cost, RDF.type, JKG.Cost))
        graph.add((cost, JKG.costOf, journey))
        graph.add((cost, JKG.amountEur, Literal(amount)))
        graph.add((cost, JKG.period, Literal("2025")))
    graph.add((journey, RDF.type, JKG.Journey))
    neo.upsert(graph)
    period = neo.mapping.name(JKG.period)
    for name, value in (
        ("dt-1", "localdatetime('2025-03-01T00:00:00')"),
        ("dt-2", "'2025-03-01T00:00:00'"),
    ):
        neo.driver.execute_query(
            f"MATCH (n:Resource {{iri: $iri}}) "
            f"WITH n, [k IN keys(n) WHERE k STARTS WITH $period] AS old "
            f"CALL (n, old) {{ UNWIND old AS k SET n[k] = null }} "
            f"SET n.`{period}` = {value}",
            iri=BASE + f"cost/{name}",
            period=period,
        )
    by_plugin, by_cypher = _both(neo, [journey])
    _same(by_plugin, by_cypher)
    assert by_plugin.per_root[journey] == pytest.approx(15.0)
