"""Helpers for the source tests: run a source, look at what it produced."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.ids import Identifiers
from journeykg.loaders.recipe import Recipe, load_recipe
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.sources import open_source
from journeykg.validation.problems import Problem
from tests.conftest import BASE

FIXTURES = Path(__file__).parent / "fixtures"
IDS = Identifiers(BASE)


class Run:
    """Everything one ``read`` yielded, merged."""

    def __init__(self, batches: list[SourceBatch]) -> None:
        self.batches = batches
        self.records: list[MappedRecord] = [r for b in batches for r in b.records]
        self.rejected: list[Problem] = [p for b in batches for p in b.rejected]
        self.unmapped: Counter[str] = Counter()
        for batch in batches:
            self.unmapped.update(batch.unmapped)
        self.read = sum(b.read for b in batches)
        self.bookmark = batches[-1].bookmark if batches else None
        self.graph = Graph()
        for record in self.records:
            self.graph += record.graph

    @property
    def by_id(self) -> dict[str, MappedRecord]:
        """Records by external id (asserting that no id appears twice)."""
        ids = [r.external_id for r in self.records]
        assert len(ids) == len(set(ids)), "an external id appears in two records"
        return {r.external_id: r for r in self.records}

    def values(self, external_id: str) -> dict[str, Any]:
        """The record's predicate -> value (python) map, single-valued predicates only."""
        graph = self.by_id[external_id].graph
        found: dict[str, Any] = {}
        for _s, p, o in graph:
            key = IDS.key(str(p)) if str(p).startswith("https://w3id.org/") else str(p)
            found[key] = _python(o)
        return found


def _python(node: Node) -> Any:
    if isinstance(node, URIRef):
        return IDS.key(str(node))
    assert isinstance(node, Literal)
    value = node.toPython()
    if hasattr(value, "isoformat") or isinstance(value, Literal):
        return str(value)
    return value


def run_recipe(path: Path, bookmark: str | None = None, *, payload: bytes | None = None) -> Run:
    """Load the recipe at ``path`` and read its source once."""
    return run(load_recipe(path), bookmark, payload=payload)


def run(recipe: Recipe, bookmark: str | None = None, *, payload: bytes | None = None) -> Run:
    """Read ``recipe``'s source once."""
    source = open_source(recipe, IDS, payload=payload)
    return Run(list(source.read(bookmark)))


def pii_values(directory: Path) -> list[str]:
    """Every personal value in the fixtures of ``directory`` (its pii.json)."""
    people = json.loads((directory / "pii.json").read_text(encoding="utf-8"))
    return [value for person in people for value in person]


def assert_no_personal_data(graph: Graph, values: list[str]) -> None:
    """No triple of ``graph`` mentions any of ``values`` (as a whole or in part)."""
    text = graph.serialize(format="nt")
    assert values
    for value in values:
        assert value not in text, f"personal value {value!r} reached the graph"
        for part in value.replace(",", " ").split():
            if len(part) >= 5 and not part.startswith("+"):
                assert part not in text, f"part {part!r} of {value!r} reached the graph"
