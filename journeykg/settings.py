"""One settings object for the CLI, the API and the tests.

Values come from environment variables prefixed ``JOURNEYKG_`` (for example
``JOURNEYKG_NEO4J_URI``) or from a ``.env`` file; the defaults are safe for a
laptop: the embedded store in ``./.journeykg`` and a server bound to loopback.
"""

from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """journeykg's configuration."""

    model_config = SettingsConfigDict(env_prefix="JOURNEYKG_", env_file=".env", extra="ignore")

    backend: Literal["embedded", "neo4j"] = "embedded"
    store_dir: Path = Path(".journeykg")
    base_iri: str = "https://id.journeykg.example/"

    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None

    state_dir: Path = Path(".journeykg-state")
    """The service's own state, kept apart from the graph: API tokens and the audit trail."""

    recipes_dir: Path = Path("recipes")
    """Where ``POST /sync/{source}`` looks for the recipe named ``source`` (*.yaml)."""

    host: str = "127.0.0.1"
    port: int = 8000
