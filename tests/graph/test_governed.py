"""What is governed, what a write changes of it, and the guard every write passes (both backends).

The guard sits in the audited store, the store the CLI and the API hold:
a write that would change a governed element is refused there before
anything is recorded or written, unless it is a step of the governance
workflow (graph/governance_step.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.governance_step import write_step
from journeykg.graph.governed import inspect_write
from journeykg.graph.governed_steps import GovernedWriteError
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, RDF, REG, SKOS, XSD
from tests.conftest import BASE

KADER = """
@base <https://id.journeykg.example/> .
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix reg: <http://purl.org/linked-data/registry#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<framework/k> a skos:ConceptScheme ; skos:prefLabel "Kader"@nl .
<stage/kopen> a jkg:LifecycleStage ; skos:prefLabel "Kopen"@nl , "Buy"@en ;
    skos:inScheme <framework/k> ; jkg:target "2.50"^^xsd:decimal .
<concept/klacht> a skos:Concept ; skos:prefLabel "Klacht"@nl ; reg:status jkg:statusProposed .
<concept/klacht/version/1> a jkg:ConceptVersion ; skos:prefLabel "Klacht"@nl .
<journey/j> a jkg:Journey ; skos:prefLabel "Reis"@nl .
"""


def iri(key: str) -> URIRef:
    return URIRef(BASE + key)


@pytest.fixture
def kader(store: Store) -> Store:
    store.upsert(Graph().parse(data=KADER, format="turtle"))
    return store


@pytest.fixture
def audited(kader: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield AuditedStore(kader, journal)
    journal.close()


def delta(*triples: tuple[URIRef, URIRef, object]) -> Graph:
    graph = Graph()
    for s, p, o in triples:
        graph.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))
    return graph


def test_what_is_governed_and_what_a_write_changes(kader: Store) -> None:
    write = inspect_write(
        kader,
        delta(
            (iri("stage/kopen"), SKOS.prefLabel, Literal("Aanschaffen", lang="nl")),
            # the same value in another spelling changes nothing
            (iri("stage/kopen"), JKG.target, Literal("2.5", datatype=XSD.decimal)),
            (iri("concept/klacht"), SKOS.definition, Literal("Onvrede.", lang="nl")),
            (iri("concept/klacht/version/9"), RDF.type, JKG.ConceptVersion),
            (iri("framework/k"), SKOS.prefLabel, Literal("Kader", lang="nl")),
            (iri("journey/j"), SKOS.prefLabel, Literal("Andere reis", lang="nl")),
            (iri("stage/nieuw"), RDF.type, JKG.LifecycleStage),
        ),
    )
    changed = {
        (kader.ids.key(str(c.subject)), kader.ids.key(str(c.predicate))) for c in write.changes
    }
    assert changed == {
        ("stage/kopen", str(SKOS.prefLabel)),  # the framework, loaded without a status
        ("concept/klacht", str(SKOS.definition)),  # a proposed concept: only the workflow moves it
        ("concept/klacht/version/9", str(RDF.type)),  # a forged record of a governed concept
    }
    # repeated exactly: left out of a load; the journey and a new stage are not governed yet
    assert write.repeated == {iri("framework/k")}
    label = next(c for c in write.changes if c.predicate == SKOS.prefLabel)
    assert label.before == {Literal("Kopen", lang="nl"), Literal("Buy", lang="en")}
    assert label.after == {Literal("Aanschaffen", lang="nl")}  # an upsert replaces the field
    assert label.proposable
    assert not next(c for c in write.changes if c.subject == iri("concept/klacht")).proposable


def test_a_retraction_of_a_governed_element_is_a_change(kader: Store) -> None:
    write = inspect_write(kader, Graph(), [iri("stage/kopen"), iri("journey/j")])
    assert {c.subject for c in write.changes} == {iri("stage/kopen")}
    assert all(c.removes_element for c in write.changes)


def test_the_audited_store_refuses_a_governed_change_before_recording_it(
    audited: AuditedStore,
) -> None:
    before = canonical(audited.export())
    with pytest.raises(GovernedWriteError) as refused:
        audited.upsert(
            delta(
                (iri("stage/kopen"), SKOS.prefLabel, Literal("Aanschaffen", lang="nl")),
                (iri("journey/j"), DCTERMS.description, "fine on its own"),
            )
        )
    (problem,) = refused.value.problems
    assert (problem.node, problem.property, problem.value, problem.rule) == (
        "stage/kopen",
        "skos:prefLabel",
        "Aanschaffen",
        "governed data",
    )
    assert "journeykg governance propose-change stage/kopen --label 'nl=Aanschaffen'" in (
        problem.message
    )
    assert "GraphQL proposeChange" in problem.message
    with pytest.raises(GovernedWriteError, match="stage/kopen"):
        audited.retract([iri("stage/kopen")])
    with pytest.raises(GovernedWriteError, match="governance record of concept/klacht"):
        audited.upsert(delta((iri("concept/klacht/activity/7"), RDF.type, JKG.Approval)))
    assert canonical(audited.export()) == before
    assert audited.journal.entries()[1] == 0


def test_only_a_workflow_step_changes_governed_data(audited: AuditedStore) -> None:
    step = delta((iri("concept/klacht"), REG.status, JKG.statusApproved))
    write_step(audited, step, step="approve concept/klacht")
    assert (iri("concept/klacht"), REG.status, JKG.statusApproved) in audited.describe(
        [iri("concept/klacht")]
    )
    (entry,), _ = audited.journal.entries()
    assert entry.added.count("statusApproved") == 1
    # the way through lasts for the step's own write only
    with pytest.raises(GovernedWriteError):
        audited.upsert(delta((iri("concept/klacht"), REG.status, JKG.statusRetired)))


def test_ungoverned_writes_and_clearing_pass(audited: AuditedStore) -> None:
    audited.upsert(delta((iri("journey/j"), SKOS.prefLabel, Literal("Andere reis", lang="nl"))))
    audited.upsert(delta((iri("stage/nieuw"), RDF.type, JKG.LifecycleStage)))  # a new element
    audited.clear()  # a reset of the whole store, recorded
    assert len(audited.export()) == 0
    assert audited.journal.entries()[1] == 3
