"""The web workspace: server-rendered pages served by the API's app (docs/web.md).

Its pages ask the same graph questions and services as GraphQL; its assets
come from an npm lockfile (web/assets/) and are served from the package.
"""
