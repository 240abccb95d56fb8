"""Costs reached along paths, summed inside Neo4j by one call: ``journeykg.reachedTotals``.

:meth:`.Neo4jStore.reached_totals` answers :meth:`.Store.reached_totals` with one Cypher
statement where journeykg's plugin is absent. At 1M nodes that statement was most of the
lifecycle picture's server time (docs/benchmarks.md, "The reached costs summed by the
plugin"): Cypher makes a row per (journey, holder) pair and groups them. The plugin's
procedure (tools/neo4j/plugin, ``ReachedTotalsProcedure``) walks the same paths with
Neo4j's core API and works each holder's total out once. It knows nothing of journeykg's
model: the paths, the link and the property names arrive as parameters, named here by
the store's property-graph mapping. The answers are the same either way (the conformance
suite holds both to :func:`~journeykg.graph.fact_totals.reached_totals_read_out`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from journeykg.graph import neo4j_procedures

PROCEDURE = "journeykg.reachedTotals"
#: The plugin names its protocol in the procedure's description
#: (ReachedTotalsProcedure.PROTOCOL); another one is not called, the statement is asked.
PROTOCOL = "journeykg-reached-protocol-1"

#: Runs one read statement with parameters (Neo4jStore._read).
Read = neo4j_procedures.Read

_CALL = (
    f"CALL {PROCEDURE}($roots, $paths, $link, $amount, $period, $mark) "
    "YIELD roots, totals, overall RETURN roots, totals, overall"
)


class ServerReachedTotals(neo4j_procedures.ProcedureClient):
    """``journeykg.reachedTotals`` on one Neo4j database: is it there, and calling it."""

    procedures = (PROCEDURE,)
    protocol = PROTOCOL
    otherwise = "costs are summed in Cypher"

    def totals(
        self,
        roots: Sequence[str],
        paths: Sequence[Sequence[tuple[str, bool]]],
        link: str,
        amount: str,
        period: str,
        mark: str,
    ) -> tuple[dict[str, float], float]:
        """Per root found in the store, its total; and the overall total (names, not IRIs).

        ``paths``: per path, its hops as (relationship type, inverse). A root the
        store does not hold is not in the answer.
        """
        params: dict[str, Any] = {
            "roots": list(roots),
            "paths": [
                {"types": [t for t, _ in path], "inverse": [i for _, i in path]} for path in paths
            ],
            "link": link,
            "amount": amount,
            "period": period,
            "mark": mark,
        }
        records = self._read(_CALL, **params)
        found: dict[str, float] = {}
        overall = 0.0
        for record in records:  # one
            found.update(zip(record["roots"], map(float, record["totals"]), strict=True))
            overall = float(record["overall"])
        return found, overall
