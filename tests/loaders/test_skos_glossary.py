"""Importing third-party SKOS / NL-SBB glossaries: normalised with warnings, or refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.loaders.skos_glossary import import_glossary
from journeykg.namespaces import DCTERMS, ISOTHES, JKG, REG, SKOS
from journeykg.resources import GLOSSARY_DATASET
from journeykg.validation.problems import LoadError

FIXTURES = Path(__file__).parent / "fixtures"
AGENCY = "https://id.journeykg.example/agency/"


def _dump(store: Store) -> set[tuple[object, object, object]]:
    return set(store.export())


def test_messy_glossary_is_normalised_with_warnings(store: Store) -> None:
    report = import_glossary(store, FIXTURES / "third-party-glossary.ttl")
    assert (report.concepts, report.status) == (3, "proposed")
    rules = sorted((w.node, w.property, w.rule) for w in report.warnings)
    lang_rule = "text has a language tag (NL-SBB: rdf:langString)"
    english = "jkgsh:GlossaryConcept-definition-en (QualifiedMinCountConstraintComponent)"
    structured = "a note or source is text or an IRI"
    assert rules == sorted(
        [
            ("agency/klantinzicht", "reg:status", "imported definitions are proposed or draft"),
            ("agency/klantinzicht", "skos:definition", lang_rule),
            ("agency/klantinzicht", "skos:prefLabel", lang_rule),
            ("agency/klantmoeite", "skos:prefLabel", "one preferred label per language (SKOS S14)"),
            ("agency/klantmoeite", "skos:scopeNote", structured),
            ("agency/terugbelverzoek", "dcterms:source", structured),
            ("agency/terugbelverzoek", "skos:inScheme", "a concept belongs to a glossary"),
        ]
        + [  # and the gate's recommendation (a Warning), for each concept
            (f"agency/{concept}", "skos:definition", english)
            for concept in ("klantinzicht", "klantmoeite", "terugbelverzoek")
        ]
    )
    stored = store.describe([URIRef(AGENCY + "klantinzicht"), URIRef(AGENCY + "klantmoeite")])
    insight, effort = URIRef(AGENCY + "klantinzicht"), URIRef(AGENCY + "klantmoeite")
    # Never approved by an import, whatever the file says.
    assert stored.value(insight, REG.status) == JKG.statusProposed
    assert (insight, SKOS.prefLabel, Literal("Klantinzicht", lang="nl")) in stored
    assert (effort, SKOS.altLabel, Literal("Klantmoeite", lang="nl")) in stored
    assert (effort, SKOS.prefLabel, Literal("Klantinspanning", lang="nl")) in stored
    assert (
        effort,
        SKOS.scopeNote,
        Literal("Gemeten met de Customer Effort Score.", lang="nl"),
    ) in stored
    callback = URIRef(AGENCY + "terugbelverzoek")
    source = store.describe([callback]).value(callback, DCTERMS.source)
    assert source == Literal("CX-bureau, handboek 2024", lang="nl")
    scheme = URIRef(AGENCY + "begrippen")
    assert (scheme, SKOS.inScheme, None) not in stored
    assert (scheme, None, JKG.Glossary) in store.describe([scheme])


def test_refused_file_names_concept_property_and_rule_and_writes_nothing(store: Store) -> None:
    load_file(store, GLOSSARY_DATASET)
    before = _dump(store)
    with pytest.raises(LoadError) as caught:
        import_glossary(store, FIXTURES / "glossary-without-definition.ttl")
    found = {(p.node, p.property, p.rule) for p in caught.value.problems}
    assert found == {
        (
            "agency/kaal",
            "skos:definition",
            "jkgsh:GlossaryConcept-definition (MinCountConstraintComponent)",
        ),
        (
            "agency/kaal",
            "skos:definition",
            "jkgsh:GlossaryConcept-definition-nl (QualifiedMinCountConstraintComponent)",
        ),
    }
    assert _dump(store) == before


def test_duplicates_blank_concepts_and_empty_notes_are_refused(store: Store) -> None:
    before = _dump(store)
    with pytest.raises(LoadError) as caught:
        import_glossary(store, FIXTURES / "glossary-duplicates.ttl")
    found = {(p.node, p.property, p.rule) for p in caught.value.problems}
    assert ("agency/klacht-1", "skos:prefLabel", "one preferred label names one concept") in found
    assert ("agency/klacht-2", "skos:prefLabel", "one preferred label names one concept") in found
    assert ("agency/klacht-2", "skos:note", "a note or source is text or an IRI") in found
    assert any(p.rule == "every concept has an IRI" for p in caught.value.problems)
    assert "klacht-2" in str(caught.value)
    assert _dump(store) == before


def test_a_label_of_an_already_stored_concept_is_refused(store: Store) -> None:
    """The gate sees the stored concept it collides with (JSON-LD import, both backends)."""
    load_file(store, GLOSSARY_DATASET)
    before = _dump(store)
    with pytest.raises(LoadError) as caught:
        import_glossary(store, FIXTURES / "glossary-clash.jsonld")
    (problem,) = [p for p in caught.value.problems if "prefLabel-unique" in p.rule]
    assert (problem.node, problem.property, problem.value) == (
        "agency/reis",
        "skos:prefLabel",
        "Klantreis",
    )
    assert "also used by concept/journey in the same glossary" in problem.message
    assert _dump(store) == before


def test_an_import_cannot_approve_or_overwrite_approved_definitions(store: Store) -> None:
    with pytest.raises(LoadError, match="cannot give the status 'approved'"):
        import_glossary(store, FIXTURES / "third-party-glossary.ttl", status="approved")
    report = import_glossary(store, FIXTURES / "third-party-glossary.ttl", status="draft")
    assert report.status == "draft"


def test_the_shipped_glossary_is_approved_and_explains_the_model() -> None:
    from rdflib import Graph

    graph = Graph().parse(GLOSSARY_DATASET)
    concepts = set(graph.subjects(SKOS.inScheme, None))
    assert len(concepts) >= 20
    assert {graph.value(c, REG.status) for c in concepts} == {JKG.statusApproved}
    for concept in concepts:
        languages = {d.language for d in graph.objects(concept, SKOS.definition)}  # type: ignore[attr-defined]
        assert languages == {"nl", "en"}, concept


def test_a_clean_json_ld_glossary_imports_without_warnings(store: Store) -> None:
    report = import_glossary(store, FIXTURES / "agency-glossary.jsonld")
    assert (report.concepts, report.warnings) == (2, [])
    phone = URIRef(AGENCY + "wachttijd-telefoon")
    stored = store.describe([phone])
    assert stored.value(phone, REG.status) == JKG.statusProposed
    assert stored.value(phone, ISOTHES.broaderGeneric) == URIRef(AGENCY + "wachttijd")


def test_approved_definitions_are_not_overwritten_by_an_import(store: Store) -> None:
    load_file(store, GLOSSARY_DATASET)
    before = _dump(store)
    with pytest.raises(LoadError) as caught:
        import_glossary(store, FIXTURES / "glossary-overwrite.ttl")
    # One problem per field the file would change; the import's own status is for new concepts.
    found = {(p.node, p.property, p.rule) for p in caught.value.problems}
    assert found == {
        ("concept/journey", field, "governed data")
        for field in ("skos:prefLabel", "skos:definition", "dcterms:source")
    }
    (definition,) = [p for p in caught.value.problems if p.property == "skos:definition"]
    assert "governance propose-change concept/journey --definition 'nl=" in definition.message
    assert _dump(store) == before


BLANK_CONCEPT = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix agency: <https://id.journeykg.example/agency/> .
agency:s a skos:ConceptScheme .
agency:a a skos:Concept ; skos:inScheme agency:s ;
    skos:prefLabel "Aanvraag"@nl ; skos:definition "Een verzoek van een klant."@nl .
[] a skos:Concept ; skos:inScheme agency:s ;
    skos:prefLabel "Bezwaar"@nl ; skos:definition "Een formeel bezwaar."@nl .
"""


def test_a_concept_without_an_iri_refuses_the_file_unless_skipped(
    store: Store, tmp_path: Path
) -> None:
    """The only problem a concept without an IRI: it cannot be named, yet it is reported."""
    path = tmp_path / "blank.ttl"
    path.write_text(BLANK_CONCEPT, encoding="utf-8")
    before = _dump(store)
    with pytest.raises(LoadError) as caught:
        import_glossary(store, path)
    assert [p.rule for p in caught.value.problems] == ["every concept has an IRI"]
    assert _dump(store) == before
    report = import_glossary(store, path, skip_invalid=True)
    assert (report.concepts, report.left_out) == (1, [])
    assert [p.rule for p in report.problems] == ["every concept has an IRI"]
