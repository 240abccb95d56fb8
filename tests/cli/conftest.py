"""What the CLI tests share: the environment a command runs in, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.settings import Settings
from tests.conftest import BASE


@pytest.fixture(params=["embedded", "neo4j"])
def backend(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """The settings the CLI runs with, on each backend in turn (the store starts empty).

    The CLI reads its settings from the environment, as a user's shell gives
    them, so the fixture sets the environment rather than passing settings.
    """
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    if request.param == "neo4j":
        neo4j: Settings = request.getfixturevalue("neo4j_settings")
        request.getfixturevalue("neo4j_store")  # emptied
        assert neo4j.neo4j_uri is not None
        monkeypatch.setenv("JOURNEYKG_BACKEND", "neo4j")
        monkeypatch.setenv("JOURNEYKG_NEO4J_URI", neo4j.neo4j_uri)
    else:
        monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
        monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "kg"))
    return Settings()
