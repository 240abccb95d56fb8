"""The coverage report: exact findings on a fixture with known gaps and on the demo."""

from __future__ import annotations

from rdflib import Graph, URIRef

from journeykg.graph.coverage import coverage_report
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.namespaces import JKG, OWL, RDF, REG
from journeykg.ontology_graph import load_ontology
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from tests.conftest import read_fixture


def _undefined_classes(data: Graph) -> list[str]:
    """Oracle: journeykg classes that no approved concept in ``data`` explains."""
    explained = {
        element
        for concept, element in data.subject_objects(JKG.explains)
        if (concept, REG.status, JKG.statusApproved) in data
    }
    classes = {
        c
        for c in load_ontology().subjects(RDF.type, OWL.Class)
        if isinstance(c, URIRef) and str(c).startswith(str(JKG))
    }
    return sorted(f"jkg:{str(c)[len(JKG) :]}" for c in classes - explained)


def test_every_kind_of_gap_is_found_and_nothing_else(store: Store) -> None:
    gaps = read_fixture("coverage_gaps.ttl")
    store.upsert(gaps)  # straight in: some of these gaps the gate would refuse today
    report = coverage_report(store)
    found = {
        (f.rule, f.element, f.value)
        for f in report.findings
        if f.rule != "Coverage-ElementWithoutDefinition"
    }
    assert found == {
        ("Coverage-StageWithoutJourney", "gaps/stage-empty", None),
        ("Coverage-ContactReasonWithoutJourney", "gaps/reason-empty", None),
        ("Coverage-JourneyWithoutOwner", "gaps/journey-bare", None),
        ("Coverage-JourneyWithoutKPI", "gaps/journey-bare", None),
        ("Coverage-TouchpointWithoutProcess", "gaps/touchpoint-bare", None),
        ("Coverage-UsedConceptNotApproved", "gaps/reason-empty", str(JKG.statusProposed)),
        ("Coverage-UsedConceptNotApproved", "gaps/concept-draft", str(JKG.statusDraft)),
    }
    severities = {f.rule: f.severity for f in report.findings}
    assert severities["Coverage-ContactReasonWithoutJourney"] == "Info"
    assert severities["Coverage-ElementWithoutDefinition"] == "Info"
    assert severities["Coverage-JourneyWithoutKPI"] == "Warning"
    undefined = [
        f.element for f in report.findings if f.rule == "Coverage-ElementWithoutDefinition"
    ]
    assert undefined == _undefined_classes(gaps)
    message = next(f.message for f in report.findings if f.element == "gaps/touchpoint-bare")
    assert message == "Touchpoint gaps/touchpoint-bare is supported by no back-office process."


def test_coverage_of_the_demo_with_its_glossary(store: Store) -> None:
    load_file(store, DEMO_DATASET)
    load_file(store, GLOSSARY_DATASET)
    report = coverage_report(store)
    counts = {rule: len(items) for rule, items in report.by_rule().items()}
    assert counts == {
        "Coverage-ContactReasonWithoutJourney": 12,
        "Coverage-ElementWithoutDefinition": len(_undefined_classes(store.export())),
    }
    reasons = [f.element for f in report.by_rule()["Coverage-ContactReasonWithoutJourney"]]
    demo = Graph().parse(DEMO_DATASET)
    placed = set(demo.objects(None, JKG.placedOn))
    expected = sorted(
        str(r).removeprefix(store.ids.base_iri)
        for r in demo.subjects(RDF.type, JKG.ContactReason)
        if r not in placed
    )
    assert reasons == expected
    # The shipped glossary defines the core of the model.
    undefined = {f.element for f in report.by_rule()["Coverage-ElementWithoutDefinition"]}
    assert not undefined & {"jkg:Journey", "jkg:Touchpoint", "jkg:KPI", "jkg:ContactReason"}
    assert all(f.severity in ("Warning", "Info") for f in report.findings)


def test_each_finding_carries_the_shapes_message_in_dutch_and_english(store: Store) -> None:
    store.upsert(read_fixture("coverage_gaps.ttl"))
    report = coverage_report(store)
    bare = next(f for f in report.findings if f.element == "gaps/touchpoint-bare")
    assert bare.message_in("en") == bare.message
    assert bare.message_in("nl") == (
        "Contactmoment gaps/touchpoint-bare wordt door geen backofficeproces ondersteund."
    )
    # Every rule has both languages, and a Dutch message is never the English one.
    for finding in report.findings:
        assert finding.message_in("nl") != finding.message_in("en"), finding
    # The CLI's JSON is unchanged: one message, in English.
    assert "messages" not in report.as_json()["findings"][0]
