"""The one place that turns settings into a store."""

from __future__ import annotations

from rdflib import Graph

from journeykg.graph.store import Store
from journeykg.settings import Settings


def open_store(settings: Settings, ontology: Graph | None = None) -> Store:
    """Open the store the settings name: Neo4j when a URI is set or asked for, else embedded."""
    if settings.backend == "neo4j" or settings.neo4j_uri:
        from journeykg.graph.neo4j_store import Neo4jStore
        from journeykg.graph.property_graph import PropertyGraphMapping
        from journeykg.ontology_graph import load_ontology

        if not settings.neo4j_uri:
            raise ValueError(
                "backend 'neo4j' needs JOURNEYKG_NEO4J_URI (e.g. bolt://127.0.0.1:7687)"
            )
        auth = None
        if settings.neo4j_user:
            password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
            auth = (settings.neo4j_user, password)
        return Neo4jStore(
            settings.neo4j_uri,
            settings.base_iri,
            PropertyGraphMapping.from_ontology(ontology or load_ontology()),
            auth=auth,
            database=settings.neo4j_database,
        )
    from journeykg.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_dir, settings.base_iri)
