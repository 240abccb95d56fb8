"""One hop along relationship types, taken inside Neo4j by one call: ``journeykg.edges``.

:meth:`.Neo4jStore.edges` answers :meth:`.Store.edges` with one Cypher statement where
journeykg's plugin is absent: a ``UNION ALL`` part per request, each with its
relationship type spelled into the text, so that the server expands only that type from
an index seek. Every hop-by-hop walk asks it (the what-if scenarios, the lifecycle
picture, the series and signals), and each combination of requests is a text of its own:
the server plans each new text, 0.1 to 0.5 s on a freshly started server, and a what-if
composition asks dozens (docs/benchmarks.md, "Cypher texts planned on a fresh server").
The plugin's procedure (tools/neo4j/plugin, ``EdgesProcedure``) expands the same types
with Neo4j's core API behind one text that never changes; the names arrive as
parameters, named here by the store's property-graph mapping. The answers are the same
either way: tests/graph/test_neo4j_edges.py asks both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from journeykg.graph import neo4j_procedures

PROCEDURE = "journeykg.edges"
#: The plugin names its protocol in the procedure's description
#: (EdgesProcedure.PROTOCOL); another one is not called, the statement is asked.
PROTOCOL = "journeykg-edges-protocol-1"

_CALL = (
    f"CALL {PROCEDURE}($types, $inverse, $nodes, $resource) "
    "YIELD requests, nodes, types, neighbours RETURN requests, nodes, types, neighbours"
)

#: Per group: the request's index, the start node's IRI, the neighbours' label names
#: (each preceded by a space; "" for none) and the neighbours' IRIs.
EdgeGroup = tuple[int, str, str, list[str]]


class ServerEdges(neo4j_procedures.ProcedureClient):
    """``journeykg.edges`` on one Neo4j database: is it there, and calling it."""

    procedures = (PROCEDURE,)
    protocol = PROTOCOL
    otherwise = "edges are followed by a statement per combination of types"

    def groups(
        self, requests: Sequence[tuple[str, bool, Collection[str]]], resource: str
    ) -> Iterator[EdgeGroup]:
        """The edges of ``requests`` (each a relationship type, whether it is followed
        backwards, and the start nodes' IRIs), grouped as the statement groups them."""
        records = self._read(
            _CALL,
            types=[rel for rel, _, _ in requests],
            inverse=[inverse for _, inverse, _ in requests],
            nodes=[list(nodes) for _, _, nodes in requests],
            resource=resource,
        )
        for record in records:  # one
            yield from zip(
                record["requests"],
                record["nodes"],
                record["types"],
                record["neighbours"],
                strict=True,
            )
