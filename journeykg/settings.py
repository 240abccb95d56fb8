"""One settings object for the CLI, the API and the tests.

Values come, highest first, from arguments, environment variables prefixed
``JOURNEYKG_`` (for example ``JOURNEYKG_NEO4J_URI``), a ``.env`` file, and an
optional TOML file (``journeykg.toml`` in the working directory, or the file
``JOURNEYKG_SETTINGS_FILE`` names). The defaults are safe for a laptop: the
embedded store in ``./.journeykg``, a server bound to loopback, every request
authenticated by a token. docs/security.md lists every setting.
"""

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

#: The settings file read when ``JOURNEYKG_SETTINGS_FILE`` names none (absent is fine).
SETTINGS_FILE = Path("journeykg.toml")


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
    neo4j_home: Path | None = None
    """The Neo4j installation's directory (bin/neo4j, bin/neo4j-admin, conf/) on this
    machine, for ``journeykg load --offline-import`` (docs/neo4j-bulk.md)."""

    state_dir: Path | None = None
    """Where the audit trail and the API tokens of the store are kept, when not in its own place.

    Unset, they live with the store they describe: beside the embedded
    store's directory (``<store_dir>-state``), or, for Neo4j, in a directory
    keyed by the database's identity (see :mod:`journeykg.graph.state`). Set,
    this directory is used instead, and it belongs to the first store that
    uses it: another store is refused.
    """

    recipes_dir: Path = Path("recipes")
    """Where ``POST /sync/{source}`` looks for the recipe named ``source`` (*.yaml)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    """Processes ``serve`` answers with; more than one needs a shared store (Neo4j)."""

    anonymous_read: bool = False
    """Let requests without a token read (never more); off unless a demo switches it on."""

    token_expiry_days: int = Field(default=90, gt=0)
    """How long a new API token lasts unless ``token create --expires-in`` says otherwise."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then .env, then the TOML settings file."""
        named = os.environ.get("JOURNEYKG_SETTINGS_FILE")
        toml_file = Path(named) if named else SETTINGS_FILE
        if named and not toml_file.is_file():
            # The default file may be absent; a file someone named must not silently be.
            raise FileNotFoundError(f"JOURNEYKG_SETTINGS_FILE names {named}, which does not exist")
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_file)
        return (init_settings, env_settings, dotenv_settings, toml, file_secret_settings)

    # Journey mining (docs/mining.md).
    mining_key: SecretStr | None = None
    """The secret key of the pseudonyms given to customer and case identifiers read from
    event logs (HMAC-SHA256); ``journeykg mine`` refuses to run without it. Keep it as
    secret as the logs: with it, a known identifier's pseudonym can be recomputed."""
    mining_min_customers: int = Field(default=10, ge=1)
    """k: a mined variant, path or gap is shown only when at least this many customers
    followed it; fewer are counted, never shown."""

    # Request limits (docs/hardening.md explains each and how the cost is counted).
    max_query_depth: int = Field(default=15, ge=1)
    """Deepest selection nesting a GraphQL operation may have (fragments expanded)."""
    max_query_tokens: int = Field(default=2_000, ge=1)
    """Most lexical tokens a GraphQL document may have; parsing stops beyond it."""
    max_aliases: int = Field(default=30, ge=0)
    """Most aliased fields an operation may hold, counted again at every fragment spread."""
    max_query_cost: int = Field(default=200_000, ge=1)
    """Highest estimated cost (fields x page sizes x list sizes) an operation may have."""
    max_page_size: int = Field(default=500, ge=1)
    """Largest ``first`` a connection accepts; a bigger one is refused, not clamped."""
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    """Largest request body (GraphQL and sync payloads); larger ones get 413."""
    max_query_bytes: int = Field(default=32 * 1024, ge=1)
    """Largest GraphQL query text in UTF-8 bytes; a larger one is refused (413) unparsed."""
    max_variables_bytes: int = Field(default=64 * 1024, ge=1)
    """Largest GraphQL variables, in bytes of their JSON; larger ones are refused (413)."""
    max_list_items: int = Field(default=100, ge=1)
    """Most items in any list a GraphQL request passes (a whatIf change set, labels, ...)."""
    document_cache_bytes: int = Field(default=32 * 1024 * 1024, ge=0)
    """Memory the parsed and validated GraphQL documents may hold (estimated); 0 caches none."""
    answer_cache_entries: int = Field(default=256, ge=0)
    """Impact answers the server keeps per graph generation (api/cached_answers.py); 0: none."""
    answer_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    """Memory the kept impact answers may hold (estimated from their JSON); 0 keeps none."""
    body_timeout: float = Field(default=30.0, gt=0)
    """Seconds a client may take to send a request body; a slower one gets 408."""
    keep_alive_timeout: int = Field(default=5, ge=1)
    """Seconds an idle keep-alive connection stays open (uvicorn's ``timeout_keep_alive``)."""
    graphql_introspection: bool = False
    """Answer introspection queries (GraphiQL and schema fuzzers need it; `demo` turns it on)."""
    graphql_ide: bool = False
    """Serve GraphiQL at GET /graphql (useful only with introspection on)."""
