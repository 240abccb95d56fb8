"""The HTTP API: FastAPI with a strawberry GraphQL schema at /graphql.

Nothing is re-exported here: the command line asks the schema in-process
without importing FastAPI, so the app factory is imported from :mod:`.app`.
"""

if __name__ != "journeykg.api":
    # Imported by its folder name from the repository root: a second copy of
    # every module (two Store classes that never compare equal). One path only.
    raise ImportError(f"import journeykg.api, not {__name__}")
