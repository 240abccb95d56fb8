"""The newest points of dated series, picked inside Neo4j by one call: ``journeykg.newestPoints``.

:meth:`.Neo4jStore.newest_points` answers :meth:`.Store.newest_points` with one Cypher
statement where journeykg's plugin is absent. After every sync the signal rules ask it of
each series the sync wrote into, and the statement makes a row of every fact of those
series' holders: on a 1M-node graph with a few hundred contact volumes per reason it was
the sync's largest wait for the server (docs/benchmarks.md, "The loop reads nothing back,
the plugin picks the newest points"). The plugin's procedure (tools/neo4j/plugin,
``NewestPointsProcedure``) reads the same facts with Neo4j's core API and keeps each
series' newest points as it goes. It knows nothing of journeykg's model: the label, the
links and the property names arrive as parameters, named here by the store's
property-graph mapping. The answers are the same either way:
tests/graph/test_neo4j_newest.py asks both and holds them to the facts read out
(docs/neo4j-plugin-newest.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeykg.graph import neo4j_procedures

PROCEDURE = "journeykg.newestPoints"
#: The plugin names its protocol in the procedure's description
#: (NewestPointsProcedure.PROTOCOL); another one is not called, the statement is asked.
PROTOCOL = "journeykg-newest-protocol-1"

_CALL = (
    f"CALL {PROCEDURE}($holders, $kind, $link, $by, $start, $end, $measures, $mark, $last) "
    "YIELD holders, channels, measures, points RETURN holders, channels, measures, points"
)

#: Per series ("" for no channel) and measure index, its points newest first, each
#: ``[start, end, value, fact]``.
NewestRows = list[tuple[str, str, int, list[list[Any]]]]


class ServerNewestPoints(neo4j_procedures.ProcedureClient):
    """``journeykg.newestPoints`` on one Neo4j database: is it there, and calling it."""

    procedures = (PROCEDURE,)
    protocol = PROTOCOL
    otherwise = "newest points are picked in Cypher"

    def newest(
        self,
        holders: Sequence[tuple[str, Sequence[str]]],
        names: tuple[str, str, str, str, str],
        measures: Sequence[str],
        mark: str,
        last: int,
    ) -> NewestRows:
        """The points of ``holders`` (each with the channels asked, "" for none).

        ``names``: the facts' label, the link to the holder, the link to the channel,
        the start's and the end's property names (the store's mapping's names)."""
        kind, link, by, start, end = names
        records = self._read(
            _CALL,
            holders=[[holder, list(channels)] for holder, channels in holders],
            kind=kind,
            link=link,
            by=by,
            start=start,
            end=end,
            measures=list(measures),
            mark=mark,
            last=last,
        )
        rows: NewestRows = []
        for record in records:  # one
            rows += zip(
                record["holders"],
                record["channels"],
                record["measures"],
                record["points"],
                strict=True,
            )
        return rows
