"""journeykg: a governed knowledge graph for customer-journey management."""

__version__ = "0.1.0"
