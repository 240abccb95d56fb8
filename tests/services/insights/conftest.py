"""The insight tests' organisation fixture (tests/services/insights/organisation.py)."""

from tests.services.insights.organisation import organisation

__all__ = ["organisation"]
