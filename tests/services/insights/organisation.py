"""A small organisation for the insight tests: the shapes' context, monthly facts on top."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD

CONTEXT = Path(__file__).resolve().parents[2] / "shapes" / "fixtures" / "_context.ttl"
CTX = "https://id.journeykg.example/test/context/"
REASON, OWNER, JOURNEY, PROCESS = (
    URIRef(CTX + n) for n in ("reason", "owner", "journey", "process")
)
PHONE = URIRef(CTX + "channel-phone")
KPI = URIRef(CTX + "kpi")


def month(m: int, year: int = 2026) -> tuple[Literal, Literal]:
    """First and last day of month ``m`` (1-based, may run past 12 into the next year)."""
    year, m = year + (m - 1) // 12, (m - 1) % 12 + 1
    last = 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31
    return (
        Literal(f"{year}-{m:02d}-01", datatype=XSD.date),
        Literal(f"{year}-{m:02d}-{last}", datatype=XSD.date),
    )


def volumes(complaints: Sequence[int], contacts: int = 200) -> Graph:
    """Monthly contact volumes of the context's reason by phone, from January 2026."""
    graph = Graph()
    for i, count in enumerate(complaints, start=1):
        node = URIRef(f"{CTX}volume/{i}")
        start, end = month(i)
        graph.add((node, RDF.type, JKG.ContactVolume))
        graph.add((node, RDFS.label, Literal(f"Storing melden {start}", lang="nl")))
        graph.add((node, JKG.volumeOf, REASON))
        graph.add((node, JKG.viaChannel, PHONE))
        graph.add((node, JKG.period, Literal(str(start)[:4], datatype=XSD.gYear)))
        graph.add((node, JKG.periodStart, start))
        graph.add((node, JKG.periodEnd, end))
        graph.add((node, JKG.contacts, Literal(contacts)))
        graph.add((node, JKG.complaints, Literal(count)))
    return graph


def kpi_values(values: Sequence[float], *, first: int = 1, responses: int = 50) -> Graph:
    """Monthly values of the context's NPS KPI, from month ``first`` of 2026."""
    graph = Graph()
    graph.add((KPI, RDF.type, JKG.KPI))
    graph.add((KPI, RDFS.label, Literal("NPS storing melden", lang="nl")))
    graph.add((KPI, JKG.kpiType, JKG.NPS))
    graph.add((KPI, JKG.measures, JOURNEY))
    graph.add((KPI, JKG.target, Literal("10.0", datatype=XSD.decimal)))
    graph.add((KPI, JKG.ownedBy, OWNER))
    for i, value in enumerate(values, start=first):
        node = URIRef(f"{CTX}kpi-value/{i}")
        start, end = month(i)
        graph.add((node, RDF.type, JKG.KPIValue))
        graph.add((node, RDFS.label, Literal(f"NPS {start}", lang="nl")))
        graph.add((node, JKG.valueOf, KPI))
        graph.add((node, JKG.value, Literal(str(value), datatype=XSD.decimal)))
        graph.add((node, JKG.period, Literal(str(start)[:4], datatype=XSD.gYear)))
        graph.add((node, JKG.periodStart, start))
        graph.add((node, JKG.periodEnd, end))
        graph.add((node, JKG.responses, Literal(responses)))
    return graph


@pytest.fixture
def organisation(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    """The context organisation in an audited store, on each backend."""
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    audited.upsert(Graph().parse(CONTEXT, format="turtle"))
    yield audited
    audited.journal.close()
