"""The lifecycle picture is kept per graph generation: a write shows at once, on both backends."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.services.demo import prepare
from tests.conftest import BASE
from tests.web.demo_app import client
from tests.web.glossary_client import attribute

NEW_REASON = f"""
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}reason/nieuw-gevraagd> a jkg:ContactReason ;
    rdfs:label "Nieuw gevraagd"@nl ;
    jkg:inPhase <{BASE}phase/PHASE> .
"""


def test_a_write_shows_on_the_picture_at_once(store: Store, tmp_path: Path) -> None:
    prepare(store, None)
    app, _ = client(store, tmp_path)
    first = app.get("/?lang=nl")
    assert first.status_code == 200
    reasons = attribute(first.text, "data-reason")
    assert reasons
    assert "reason/nieuw-gevraagd" not in reasons
    assert attribute(app.get("/?lang=nl").text, "data-reason") == reasons  # kept: the same

    ((_, phase),) = follow(store, JKG.inPhase, [URIRef(f"{BASE}{reasons[0]}")])
    added = Graph().parse(
        data=NEW_REASON.replace(f"{BASE}phase/PHASE", str(phase)), format="turtle"
    )
    store.upsert(added)

    after = attribute(app.get("/?lang=nl").text, "data-reason")
    assert "reason/nieuw-gevraagd" in after
    assert len(after) == len(reasons) + 1


COST_ON_JOURNEY = f"""
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{BASE}cost/kept-picture> a jkg:Cost ;
    jkg:costOf <JOURNEY> ;
    jkg:amountEur "987654321.00"^^xsd:decimal ;
    jkg:period "2025"^^xsd:gYear .
"""


def test_after_a_local_write_the_updated_page_is_the_page_computed_afresh(
    store: Store, tmp_path: Path
) -> None:
    prepare(store, None)
    app, _ = client(store, tmp_path / "kept")
    before = app.get("/?lang=nl&measure=cost").text  # the picture kept
    journey = store.instances(JKG.Journey)[0]
    store.upsert(
        Graph().parse(data=COST_ON_JOURNEY.replace("JOURNEY", str(journey)), format="turtle")
    )
    updated = app.get("/?lang=nl&measure=cost").text  # the kept picture, updated
    afresh, _ = client(store, tmp_path / "afresh")  # a new app computes it in full
    assert updated == afresh.get("/?lang=nl&measure=cost").text
    assert updated != before  # the journey's cost moved its cells
