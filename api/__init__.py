"""The HTTP API: FastAPI with a strawberry GraphQL schema at /graphql."""

if __name__ != "journeykg.api":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.api, not {__name__}")


from journeykg.api.app import create_app

__all__ = ["create_app"]
