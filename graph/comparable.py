"""Whether KPI values may be combined: the same scale, method, question and period length.

A value counts as measured the way its KPI declares (``jkg:scaleMin``,
``jkg:scaleMax``, ``jkg:surveyMethod``, ``jkg:questionCode`` on the KPI) unless
it states otherwise; the shapes refuse a value that states otherwise on the way
in (``jkgsh:ComparableValue``), so a disagreement found here comes from data
stored before its KPI declared how it is measured. Periods compare by their
length: a month with a month, never a month with a quarter.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from rdflib import Graph, URIRef

from journeykg.graph.store import Store
from journeykg.namespaces import JKG

#: What makes two values comparable, with how an answer names it.
_MEASURED = (
    (JKG.scaleMin, "scale minimum"),
    (JKG.scaleMax, "scale maximum"),
    (JKG.surveyMethod, "method"),
    (JKG.questionCode, "question"),
)


def period_length(start: str, end: str) -> str:
    """``month``, ``quarter``, ``year``, ``week`` or ``N days``: what a period is, by its days."""
    days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    for name, low, high in (
        ("week", 7, 7),
        ("month", 28, 31),
        ("quarter", 89, 92),
        ("year", 365, 366),
    ):
        if low <= days <= high:
            return name
    return f"{days} days"


def _how(facts: Graph, value: URIRef) -> dict[str, str]:
    kpi = facts.value(value, JKG.valueOf)
    how = {}
    for predicate, name in _MEASURED:
        stated = facts.value(value, predicate)
        if stated is None and kpi is not None:
            stated = facts.value(kpi, predicate)
        if stated is not None:
            how[name] = str(stated)
    start, end = facts.value(value, JKG.periodStart), facts.value(value, JKG.periodEnd)
    if start is not None and end is not None:
        how["period"] = period_length(str(start), str(end))
    return how


def incomparable_values(store: Store, values: Collection[str]) -> str | None:
    """Why ``values`` (KPI value IRIs) may not be combined; None when they may."""
    nodes = [URIRef(v) for v in values]
    facts = store.describe(nodes)
    kpis = {k for n in nodes if isinstance(k := facts.value(n, JKG.valueOf), URIRef)}
    for triple in store.describe(kpis):
        facts.add(triple)
    if len(kpis) > 1:
        shown = ", ".join(sorted(store.ids.key(str(k)) for k in kpis))
        return f"the values belong to different KPIs ({shown})"
    first: tuple[URIRef, dict[str, str]] | None = None
    for node in sorted(nodes):
        how = _how(facts, node)
        if first is None:
            first = (node, how)
            continue
        for name in sorted(first[1].keys() | how.keys()):
            a, b = first[1].get(name, "not stated"), how.get(name, "not stated")
            if a != b:
                return (
                    f"{store.ids.key(str(first[0]))} and {store.ids.key(str(node))} are not "
                    f"comparable: {name} {a} against {b}"
                )
    return None
