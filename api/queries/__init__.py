"""GraphQL documents that ship with journeykg (used by the CLI, shown in GraphiQL)."""

from pathlib import Path

QUERIES = Path(__file__).parent


def query(name: str) -> str:
    """The text of ``queries/<name>.graphql``."""
    return (QUERIES / f"{name}.graphql").read_text(encoding="utf-8")
