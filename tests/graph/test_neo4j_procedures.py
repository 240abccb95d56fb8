"""Whether journeykg's plugin procedures are there, in this version: listed once per
connection for every caller, checked without a server (graph/neo4j_procedures.py)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from journeykg.graph import neo4j_columns, neo4j_edges, neo4j_newest, neo4j_reached, neo4j_walk
from journeykg.graph.errors import StoreError
from journeykg.graph.neo4j_edges import ServerEdges
from journeykg.graph.neo4j_newest import ServerNewestPoints
from journeykg.graph.neo4j_procedures import Listing, installed
from journeykg.graph.neo4j_reached import ServerReachedTotals
from journeykg.graph.neo4j_walk import ServerWalks
from journeykg.graph.property_graph import PropertyGraphMapping


class Server:
    """A server's answers to SHOW PROCEDURES (as Neo4j lists them: name, description)."""

    def __init__(self, procedures: dict[str, str], *, allowed: bool = True) -> None:
        self.procedures, self.allowed, self.asked = procedures, allowed, 0

    def read(self, query: str, **params: Any) -> list[dict[str, str]]:
        assert "SHOW PROCEDURES" in query
        self.asked += 1
        if not self.allowed:
            raise StoreError("Permission denied: SHOW PROCEDURES")
        return [{"name": n, "description": d} for n, d in self.procedures.items()]


def _current() -> dict[str, str]:
    return {
        neo4j_walk.PROCEDURE: f"walk ({neo4j_walk.PROTOCOL})",
        neo4j_reached.PROCEDURE: f"reached ({neo4j_reached.PROTOCOL})",
        neo4j_newest.PROCEDURE: f"newest ({neo4j_newest.PROTOCOL})",
        neo4j_edges.PROCEDURE: f"edges ({neo4j_edges.PROTOCOL})",
        neo4j_columns.NODES: f"nodes ({neo4j_columns.PROTOCOL})",
        neo4j_columns.EDGES: f"edges ({neo4j_columns.PROTOCOL})",
    }


def test_every_caller_of_one_listing_is_answered_by_one_statement() -> None:
    server = Server(_current())
    listing = Listing(server.read)  # type: ignore[arg-type]
    assert ServerWalks(server.read, PropertyGraphMapping(), listing).installed()  # type: ignore[arg-type]
    assert ServerReachedTotals(server.read, listing).installed()  # type: ignore[arg-type]
    assert ServerNewestPoints(server.read, listing).installed()  # type: ignore[arg-type]
    assert ServerEdges(server.read, listing).installed()  # type: ignore[arg-type]
    assert neo4j_columns.ServerColumns(server.read, listing).installed()  # type: ignore[arg-type]
    assert server.asked == 1


def test_an_older_plugin_without_a_procedure_or_with_another_protocol(
    caplog: pytest.LogCaptureFixture,
) -> None:
    older = _current()
    del older[neo4j_newest.PROCEDURE]
    older[neo4j_reached.PROCEDURE] = "reached (journeykg-reached-protocol-0)"
    listing = Listing(Server(older).read)  # type: ignore[arg-type]
    assert installed(listing, [neo4j_walk.PROCEDURE], neo4j_walk.PROTOCOL, "hop by hop")
    assert not installed(listing, [neo4j_newest.PROCEDURE], neo4j_newest.PROTOCOL, "Cypher")
    with caplog.at_level(logging.WARNING):
        assert not installed(listing, [neo4j_reached.PROCEDURE], neo4j_reached.PROTOCOL, "Cypher")
    assert "install the plugin of this journeykg version" in caplog.text
    # One of two bulk procedures is not both.
    del older[neo4j_columns.EDGES]
    assert not neo4j_columns.ServerColumns(Server(older).read).installed()  # type: ignore[arg-type]


def test_a_user_who_may_not_list_procedures_has_none(caplog: pytest.LogCaptureFixture) -> None:
    server = Server(_current(), allowed=False)
    listing = Listing(server.read)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO):
        assert not installed(listing, [neo4j_walk.PROCEDURE], neo4j_walk.PROTOCOL, "hop by hop")
        assert not ServerNewestPoints(server.read, listing).installed()  # type: ignore[arg-type]
    assert "cannot list Neo4j procedures (Permission denied" in caplog.text
    assert server.asked == 1  # refused once: not asked again on this connection
