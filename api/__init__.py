"""The HTTP API: FastAPI with a strawberry GraphQL schema at /graphql."""

from journeykg.api.app import create_app

__all__ = ["create_app"]
