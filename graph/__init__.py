"""The graph layer: one store interface, two backends, and the queries on top."""

if __name__ != "journeykg.graph":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.graph, not {__name__}")


from journeykg.graph.errors import (
    MissingCapabilityError,
    StoreError,
    UnknownElementError,
    UnsupportedElementError,
)
from journeykg.graph.factory import open_store
from journeykg.graph.model import Affected, ElementRef, ImpactAnswer, WriteSummary
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Capability, Store

__all__ = [
    "Affected",
    "Capability",
    "Direction",
    "ElementRef",
    "ImpactAnswer",
    "MissingCapabilityError",
    "Relation",
    "Store",
    "StoreError",
    "UnknownElementError",
    "UnsupportedElementError",
    "WriteSummary",
    "open_store",
]
