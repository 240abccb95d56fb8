"""The newest points picked by journeykg's plugin (journeykg.newestPoints) equal the Cypher
statement's, which Neo4jStore.newest_points asks where the plugin is absent.

Every question is asked of the same Neo4j store twice, through the procedure and through
the statement, and the statements sent are recorded, so that a silent fallback cannot
pass for the procedure. Both are held to the facts read out
(:func:`~journeykg.graph.series.newest_points_read_out`), as in
tests/graph/test_series_newest.py on every backend.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.neo4j_newest import PROCEDURE, ServerNewestPoints
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.series import VOLUMES, newest_points_read_out
from journeykg.graph.store import DatedPoint, SeriesKey
from journeykg.namespaces import JKG, XSD
from tests.graph.plugin_calls import recorded_store_fixture
from tests.graph.test_series_newest import (
    BASE,
    CHANNELS,
    MEASURES,
    REASONS,
    _series,
    _volume,
    generated,
)

pytestmark = pytest.mark.neo4j

#: A piece of the Cypher statement only the fallback sends.
STATEMENT = "max(f.iri) AS latest"

Answer = dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]


#: The Neo4j store, empty, its statements recorded in ``neo.sent``.
neo = recorded_store_fixture(
    ServerNewestPoints, "_server_newest", "journeykg.newestPoints", "newest_in_server"
)


def _both(neo: Neo4jStore, series: list[SeriesKey], last: int) -> tuple[Answer, Answer]:
    """The answer through the procedure, then through the statement; each path checked sent."""
    sent: list[str] = neo.sent  # type: ignore[attr-defined]
    sent.clear()
    neo.newest_in_server = True
    by_plugin = neo.newest_points(VOLUMES, series, MEASURES, last)
    assert any(PROCEDURE in q for q in sent), "the procedure was not called"
    assert not any(STATEMENT in q for q in sent), "the Cypher statement was asked as well"
    sent.clear()
    neo.newest_in_server = False
    by_cypher = neo.newest_points(VOLUMES, series, MEASURES, last)
    assert any(STATEMENT in q for q in sent)
    assert not any(PROCEDURE in q for q in sent)
    neo.newest_in_server = True
    return by_plugin, by_cypher


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("last", [1, 3, 7, 40])
def test_the_procedure_picks_what_the_statement_picks(
    neo: Neo4jStore, seed: int, last: int
) -> None:
    neo.upsert(generated(seed))
    by_plugin, by_cypher = _both(neo, _series(neo), last)
    assert by_plugin == by_cypher
    assert by_plugin == newest_points_read_out(neo, VOLUMES, _series(neo), MEASURES, last)
    assert len(by_plugin) >= 12  # the data has series with points


def test_ties_odd_values_and_series_not_stored(neo: Neo4jStore) -> None:
    """Two facts of one start (the later key wins, per measure), values of another datatype
    than the range (kept under a marked name), a start with a time of day, a fact without
    an end, a holder the store does not hold: the same answer either way."""
    graph = Graph()
    key = (REASONS[0], CHANNELS[0])
    _volume(graph, "t-1", key[0], key[1], 1, 3, 100)
    _volume(graph, "t-1z", key[0], key[1], 1, 9, None)
    other = _volume(graph, "t-2", key[0], key[1], 2, None, None)
    graph.add((other, JKG.complaints, Literal("7", datatype=XSD.int)))
    graph.add((other, JKG.contacts, Literal("120.5", datatype=XSD.decimal)))
    timed = _volume(graph, "t-3", key[0], key[1], 3, 4, 90)
    graph.set((timed, JKG.periodStart, Literal("2025-03-01T00:00:00", datatype=XSD.dateTime)))
    endless = _volume(graph, "t-4", key[0], key[1], 4, 5, 50)
    graph.remove((endless, JKG.periodEnd, None))
    _volume(graph, "t-none", REASONS[1], None, 1, 2, 20)
    neo.upsert(graph)
    asked = [key, (REASONS[1], None), (URIRef(f"{BASE}reason/absent"), CHANNELS[0])]
    by_plugin, by_cypher = _both(neo, asked, 5)
    assert by_plugin == by_cypher == newest_points_read_out(neo, VOLUMES, asked, MEASURES, 5)
    complaints = by_plugin[(*key, JKG.complaints)]
    assert [p.value for p in complaints] == [9.0, 7.0, 4.0]
    assert complaints[-1].start == "2025-03-01T00:00:00"
    assert [p.value for p in by_plugin[(REASONS[1], None, JKG.contacts)]] == [20.0]


@pytest.mark.parametrize(
    "value",
    ["localdatetime('2025-03-01T00:00:00')", "datetime('2025-03-01T00:00:00+01:00')", "7", "2.5"],
)
def test_a_start_of_another_property_type_is_spelled_as_cypher_spells_it(
    neo: Neo4jStore, value: str
) -> None:
    """journeykg's mapping stores a start that is no date under a marked name as text;
    another writer of the database may store any type under the plain name. The procedure
    spells it as Cypher's toString does (java.time's toString leaves zero seconds out)."""
    graph = Graph()
    key = (REASONS[0], CHANNELS[0])
    odd = _volume(graph, "o-1", key[0], key[1], 1, 3, 100)
    _volume(graph, "o-2", key[0], key[1], 2, 4, 90)
    neo.upsert(graph)
    neo.driver.execute_query(
        f"MATCH (n:Resource {{iri: $iri}}) SET n.periodStart = {value}", iri=str(odd)
    )
    by_plugin, by_cypher = _both(neo, [key], 5)
    assert by_plugin == by_cypher
    assert len(by_plugin[(*key, JKG.complaints)]) == 2
