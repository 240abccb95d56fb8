"""The insight tests' fixtures: the organisation (organisation.py) and, for the test that the
entry points agree, the API's client fixtures (tests/api/conftest.py)."""

from tests.api.conftest import api_settings, bearer, make_client, tokens
from tests.services.insights.organisation import organisation

__all__ = ["api_settings", "bearer", "make_client", "organisation", "tokens"]
