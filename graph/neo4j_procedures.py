"""Whether journeykg's plugin procedures are installed on the Neo4j server, in this version.

The plugin (tools/neo4j/plugin) names its protocol in each procedure's
description; a procedure of another protocol (an older or newer plugin) is
not called, and the caller takes its Cypher path instead. One check for every
procedure the client calls: the walk (graph/neo4j_walk.py), the bulk write
(graph/neo4j_columns.py), the reached costs (graph/neo4j_reached.py) and the
newest points (graph/neo4j_newest.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import neo4j

from journeykg.graph.errors import StoreError

log = logging.getLogger(__name__)

#: Runs one read statement with parameters (Neo4jStore._read).
Read = Callable[..., list[neo4j.Record]]


def installed(read: Read, names: Sequence[str], protocol: str, otherwise: str) -> bool:
    """Whether the server has every procedure of ``names`` with ``protocol``.

    ``otherwise``: what the caller does without them, for the log ("impact walks hop
    by hop"). A server that does not let this user list procedures has none.
    """
    try:
        records = read(
            "SHOW PROCEDURES YIELD name, description WHERE name IN $names RETURN name, description",
            names=list(names),
        )
    except StoreError as exc:  # e.g. a user not allowed to list procedures
        log.info("cannot list Neo4j procedures (%s): %s", exc, otherwise)
        return False
    found = {r["name"]: r["description"] or "" for r in records}
    ours = len(found) == len(names) and all(protocol in d for d in found.values())
    if found and not ours:
        log.warning(
            "Neo4j has %s, but not all with %s: %s; install the plugin of this journeykg version",
            sorted(found),
            protocol,
            otherwise,
        )
    return ours
