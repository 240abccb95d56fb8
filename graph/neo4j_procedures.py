"""Whether journeykg's plugin procedures are installed on the Neo4j server, in this version.

The plugin (tools/neo4j/plugin) names its protocol in each procedure's
description; a procedure of another protocol (an older or newer plugin) is
not called, and the caller takes its Cypher path instead. One check for every
procedure the client calls: the walk (graph/neo4j_walk.py), the bulk write
(graph/neo4j_columns.py), the reached costs (graph/neo4j_reached.py), the
newest points (graph/neo4j_newest.py) and the edges of a hop (graph/neo4j_edges.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import ClassVar

import neo4j

from journeykg.graph.errors import StoreError

log = logging.getLogger(__name__)

#: Runs one read statement with parameters (Neo4jStore._read).
Read = Callable[..., list[neo4j.Record]]


class Listing:
    """journeykg's procedures on one server and their descriptions, listed by one statement
    the first time any of them is asked about, then kept.

    A command on Neo4j asks about several (the walk, the bulk write, the newest points):
    listed for each, that was a round trip apiece; the store keeps one listing per
    connection (Neo4jStore._connect).
    """

    def __init__(self, read: Read) -> None:
        self._read = read
        self._found: dict[str, str] | None = None
        self._refused: str | None = None

    def described(self) -> dict[str, str] | None:
        """Each ``journeykg.*`` procedure's description; None if this user may not list them."""
        if self._found is None and self._refused is None:
            try:
                records = self._read(
                    "SHOW PROCEDURES YIELD name, description "
                    "WHERE name STARTS WITH 'journeykg.' RETURN name, description"
                )
            except StoreError as exc:  # e.g. a user not allowed to list procedures
                self._refused = str(exc)
            else:
                self._found = {r["name"]: r["description"] or "" for r in records}
        return self._found

    @property
    def refused(self) -> str | None:
        """Why the procedures could not be listed, if they could not."""
        return self._refused


def installed(source: Read | Listing, names: Sequence[str], protocol: str, otherwise: str) -> bool:
    """Whether the server has every procedure of ``names`` with ``protocol``.

    ``source``: the store's :class:`Listing`, or a read to list them with now.
    ``otherwise``: what the caller does without them, for the log ("impact walks hop
    by hop"). A server that does not let this user list procedures has none.
    """
    listing = source if isinstance(source, Listing) else Listing(source)
    described = listing.described()
    if described is None:
        log.info("cannot list Neo4j procedures (%s): %s", listing.refused, otherwise)
        return False
    found = {name: d for name, d in described.items() if name in names}
    ours = len(found) == len(names) and all(protocol in d for d in found.values())
    if found and not ours:
        log.warning(
            "Neo4j has %s, but not all with %s: %s; install the plugin of this journeykg version",
            sorted(found),
            protocol,
            otherwise,
        )
    return ours


class ProcedureClient:
    """A caller of some of journeykg's procedures on one database: whether the server has
    them, in this version, asked once (the walk, the reached costs, the newest points).

    A subclass names its procedures, their protocol and what it does without them."""

    procedures: ClassVar[tuple[str, ...]]
    protocol: ClassVar[str]
    otherwise: ClassVar[str]

    def __init__(self, read: Read, listing: Listing | None = None) -> None:
        self._read = read
        self._listing = listing
        self._installed: bool | None = None

    def installed(self) -> bool:
        """Whether the server has the procedures, with this protocol (asked once)."""
        if self._installed is None:
            self._installed = installed(
                self._listing or self._read, self.procedures, self.protocol, self.otherwise
            )
        return self._installed
