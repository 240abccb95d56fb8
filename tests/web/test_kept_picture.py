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
