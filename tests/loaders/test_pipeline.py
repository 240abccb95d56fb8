"""Loading files: the SHACL gate and all-or-nothing writes, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from bench.synthetic import generate
from journeykg.graph import neo4j_bulk
from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.edges import follow
from journeykg.graph.elements import resolve
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file, validate_file
from journeykg.namespaces import JKG
from journeykg.resources import DEMO_DATASET
from journeykg.validation.problems import ParseError, ValidationError
from tests.conftest import BASE, FIXTURES


def test_the_demo_organisation_loads(store: Store) -> None:
    report = load_file(store, DEMO_DATASET)
    assert report.triples > 1000
    # The data, one prov:wasGeneratedBy per element, and the load activity (5 triples).
    assert len(store.export()) == report.triples + report.subjects - 1 + 5


def test_a_file_that_does_not_conform_writes_nothing(store: Store) -> None:
    load_file(store, DEMO_DATASET)
    before = canonical(store.export())
    with pytest.raises(ValidationError) as raised:
        load_file(store, FIXTURES / "journey_without_owner.ttl")
    assert canonical(store.export()) == before
    problems = raised.value.problems
    assert [(p.node, p.property) for p in problems] == [("journey/zonder-eigenaar", "jkg:ownedBy")]
    assert "MinCount" in problems[0].rule
    assert "journey_without_owner.ttl" in str(raised.value)


def test_a_file_that_does_not_parse_names_the_line(store: Store) -> None:
    with pytest.raises(ParseError) as raised:
        load_file(store, FIXTURES / "broken_syntax.ttl")
    (problem,) = raised.value.problems
    assert problem.line == 3
    assert problem.file.endswith("broken_syntax.ttl")
    assert len(store.export()) == 0


def test_a_missing_file_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        load_file(store, tmp_path / "nope.ttl")


def test_blank_nodes_are_refused(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "blank.ttl"
    path.write_text(
        "@prefix jkg: <https://w3id.org/journeykg/ontology#> .\n[] a jkg:BackofficeProcess .\n"
    )
    with pytest.raises(ParseError, match="blank nodes"):
        load_file(store, path)


def test_the_gate_sees_what_the_store_already_holds(store: Store, tmp_path: Path) -> None:
    """A delta may point at elements loaded earlier: their types come from the store."""
    load_file(store, DEMO_DATASET)
    owner = _an_owner(store)
    delta = tmp_path / "delta.ttl"
    delta.write_text(
        (FIXTURES / "journey_without_owner.ttl").read_text()
        + f"<journey/zonder-eigenaar> jkg:ownedBy <{owner}> .\n"
    )
    assert validate_file(delta, store).conforms
    # Without the store the owner is untyped.
    assert not validate_file(delta, None, ids=store.ids).conforms
    load_file(store, delta)
    assert resolve(store, "journey/zonder-eigenaar").type == "Journey"


def _an_owner(store: Store) -> str:
    from journeykg.namespaces import JKG

    journeys = follow(store, JKG.ownedBy, [store.ids.iri("journey/verhuizen")])
    assert journeys, "the demo's journey/verhuizen has an owner"
    return str(journeys[0][1])


def test_a_large_file_with_two_violations_writes_nothing_on_any_path(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generated organisation, parsed by Oxigraph and written in many batches where the
    store batches: one journey without its owner and two steps of one journey sharing a
    sequence number (an indexed core rule) are both named, and nothing is written or audited."""
    organisation = generate(1500).graph
    journey = URIRef(BASE + "journey/j7")
    organisation.remove((journey, JKG.ownedBy, None))
    organisation.set((URIRef(BASE + "step/j9-1"), JKG.sequence, Literal(1)))
    path = tmp_path / "organisation.nt"
    organisation.serialize(path, format="nt", encoding="utf-8")
    monkeypatch.setattr(neo4j_bulk, "BATCH_SUBJECTS", 100)  # dozens of batches, were it written
    journal = AuditJournal(tmp_path / "audit.sqlite")
    audited = AuditedStore(store, journal)
    with pytest.raises(ValidationError) as raised:
        load_file(audited, path)
    found = {
        (p.node, p.property, p.rule.split(" ")[0])
        for p in raised.value.problems
        if p.severity == "Violation"
    }
    assert found == {
        ("journey/j7", "jkg:ownedBy", "jkgsh:Journey-ownedBy"),
        ("step/j9-0", "jkg:sequence", "jkgsh:Step-sequence-unique"),
        ("step/j9-1", "jkg:sequence", "jkgsh:Step-sequence-unique"),
    }
    assert len(store.export()) == 0
    assert journal.entries(AuditFilter())[0] == []
    journal.close()


def test_loading_new_elements_refuses_what_the_gate_refuses_and_names_it_alike(
    store: Store,
) -> None:
    # The demo's "load what the store lacks" goes through the same (compiled) gate as a
    # load: a file that does not conform is refused with the problems a load names.
    from journeykg.loaders.pipeline import load_new_elements

    load_file(store, DEMO_DATASET)
    before = canonical(store.export())
    bad = FIXTURES / "journey_without_owner.ttl"
    with pytest.raises(ValidationError) as loaded:
        load_file(store, bad)
    with pytest.raises(ValidationError) as new_only:
        load_new_elements(store, bad)
    assert new_only.value.problems == loaded.value.problems
    assert canonical(store.export()) == before
