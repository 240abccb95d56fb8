"""The lifecycle picture is kept per graph generation: a write shows at once, on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import open_store
from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.services.demo import prepare
from journeykg.settings import Settings
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


def _served(store: Store, state: Path) -> FastAPI:
    """The app as ``journeykg serve`` makes it: the picture computed when it starts."""
    settings = Settings(base_iri=BASE, anonymous_read=True, state_dir=state)
    return create_app(store, settings=settings, tokens=TokenStore(state / "tokens.db"), warm=True)


def test_a_served_app_computes_the_picture_when_it_starts(store: Store, tmp_path: Path) -> None:
    prepare(store, None)
    app = _served(store, tmp_path)
    assert app.state.picture.kept is None
    with TestClient(app) as started:
        app.state.warm_up.join(timeout=60)
        kept = app.state.picture.kept
        assert kept is not None, "computed before anyone asked"
        assert kept.generation == store.generation()
        assert started.get("/?lang=nl").status_code == 200
        assert app.state.picture.kept is kept  # the page used it: nothing computed again


def test_a_picture_that_cannot_be_computed_at_start_is_left_to_the_first_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = open_store(
        Settings(backend="embedded", neo4j_uri=None, store_dir=tmp_path / "store", base_iri=BASE),
        audited=False,
    )
    app = _served(store, tmp_path)
    store.close()  # the store cannot answer: the start must go on all the same
    with caplog.at_level("WARNING"), TestClient(app):
        app.state.warm_up.join(timeout=60)
    assert app.state.picture.kept is None
    assert "was not computed at start" in caplog.text
