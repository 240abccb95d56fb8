#!/usr/bin/env bash
# Runs the whole pytest suite against a real Neo4j: the one at
# JOURNEYKG_NEO4J_URI if set, else a throwaway server started here and
# stopped on exit, whether the tests pass or not.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JOURNEYKG_NEO4J_URI:-}" ]; then
  # The throwaway server's state lives in this checkout and its port is one the kernel
  # says is free: two checkouts (a CI clone beside a developer's run) never share a server.
  export JOURNEYKG_NEO4J_STATE="${JOURNEYKG_NEO4J_STATE:-$PWD/build/neo4j-test}"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  tools/neo4j/neo4j-server start --port "$port"
  trap 'tools/neo4j/neo4j-server stop' EXIT
  JOURNEYKG_NEO4J_URI="$(tools/neo4j/neo4j-server uri)"
  export JOURNEYKG_NEO4J_URI
  # That server loads journeykg's plugin: a walk that falls back to Cypher is then a failure.
  export JOURNEYKG_REQUIRE_NEO4J_PLUGIN=1
fi
# Tells the suite that Neo4j tests must run: a missing server is then a failure, not a skip.
export JOURNEYKG_REQUIRE_NEO4J=1
# `make test` installed chromium (make browser): a browser test that cannot start is a failure.
export JOURNEYKG_REQUIRE_BROWSER=1
started=$(date +%s)
.venv/bin/pytest "$@"
echo "test suite took $(( $(date +%s) - started )) s"
