"""Quality checks on the ontology, ODK style: each SPARQL file in checks/ must return no rows."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.ontology_graph import load_ontology

CHECKS = sorted((Path(__file__).parent / "checks").glob("*.rq"))


@cache
def _ontology() -> Graph:
    graph = Graph()
    graph += load_ontology()
    return graph


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.stem)
def test_check_returns_no_rows(check: Path) -> None:
    rows = list(_ontology().query(check.read_text(encoding="utf-8")))
    assert rows == [], f"{check.name}: " + "; ".join(" ".join(map(str, row)) for row in rows)  # type: ignore[arg-type]


def test_a_check_can_fail() -> None:
    """An unlabelled class is caught, so the loop above is not vacuous."""
    broken = Graph()
    broken += _ontology()
    broken.parse(
        data="<https://w3id.org/journeykg/ontology#Unlabelled> a "
        "<http://www.w3.org/2002/07/owl#Class> .",
        format="turtle",
    )
    check = next(c for c in CHECKS if c.stem == "class-without-labels")
    rows = list(broken.query(check.read_text(encoding="utf-8")))
    assert len(rows) == 2  # no Dutch and no English label
