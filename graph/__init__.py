"""The graph layer: one store interface, two backends, and the queries on top."""

from journeykg.graph.errors import StoreError, UnknownElementError, UnsupportedElementError
from journeykg.graph.factory import open_store
from journeykg.graph.model import Affected, ElementRef, ImpactAnswer, WriteSummary
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Store

__all__ = [
    "Affected",
    "Direction",
    "ElementRef",
    "ImpactAnswer",
    "Relation",
    "Store",
    "StoreError",
    "UnknownElementError",
    "UnsupportedElementError",
    "WriteSummary",
    "open_store",
]
