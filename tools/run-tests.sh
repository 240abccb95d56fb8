#!/usr/bin/env bash
# Runs the whole pytest suite against real Neo4j servers in JOURNEYKG_TEST_WORKERS
# pytest-xdist workers (2 by default: the machine's cores; 1 runs it in one process; see
# ARCHITECTURE.md, "How the suite runs"). Each worker empties and fills a Neo4j
# database of its own, and Neo4j Community has one user database per server, so each gets
# a throwaway server started here and stopped on exit, whether the tests pass or not.
# With JOURNEYKG_NEO4J_URI set (a server of your own), the suite runs in one process on it,
# unless JOURNEYKG_NEO4J_URIS names one server per worker.
set -euo pipefail
cd "$(dirname "$0")/.."

workers="${JOURNEYKG_TEST_WORKERS:-2}"
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "JOURNEYKG_TEST_WORKERS must be a number >= 1" >&2; exit 2; }

if [ -z "${JOURNEYKG_NEO4J_URI:-}" ]; then
  # The throwaway servers' state lives in this checkout and their ports are ones the kernel
  # says are free: two checkouts (a CI clone beside a developer's run) never share a server.
  state_root="${JOURNEYKG_NEO4J_STATE:-$PWD/build/neo4j-test}"
  # Distinct ports: every probe socket stays bound until all are chosen.
  read -r -a ports <<<"$(python3 -c '
import socket, sys
probes = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in probes:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in probes))' "$workers")"
  states=()
  for ((i = 0; i < workers; i++)); do states+=("$state_root-$i"); done
  stop_servers() {
    for state in "${states[@]}"; do JOURNEYKG_NEO4J_STATE="$state" tools/neo4j/neo4j-server stop || true; done
  }
  trap stop_servers EXIT
  # Started side by side: each start is ~10 s of JVM start-up, mostly waiting.
  starting=()
  for ((i = 0; i < workers; i++)); do
    JOURNEYKG_NEO4J_STATE="${states[$i]}" tools/neo4j/neo4j-server start --port "${ports[$i]}" &
    starting+=($!)
  done
  for pid in "${starting[@]}"; do wait "$pid"; done
  uris=()
  for state in "${states[@]}"; do uris+=("$(JOURNEYKG_NEO4J_STATE="$state" tools/neo4j/neo4j-server uri)"); done
  # tests/conftest.py gives xdist worker gwN the N-th of these; one process uses the first.
  export JOURNEYKG_NEO4J_URIS="${uris[*]}"
  export JOURNEYKG_NEO4J_URI="${uris[0]}"
  # Those servers load journeykg's plugin: a walk that falls back to Cypher is then a failure.
  export JOURNEYKG_REQUIRE_NEO4J_PLUGIN=1
elif [ "$(wc -w <<<"${JOURNEYKG_NEO4J_URIS:-}")" -lt "$workers" ]; then
  echo "JOURNEYKG_NEO4J_URI is set and JOURNEYKG_NEO4J_URIS names fewer than $workers servers: one worker" >&2
  workers=1
fi
# Tells the suite that Neo4j tests must run: a missing server is then a failure, not a skip.
export JOURNEYKG_REQUIRE_NEO4J=1
# `make test` installed chromium (make browser): a browser test that cannot start is a failure.
export JOURNEYKG_REQUIRE_BROWSER=1
parallel=()
if ((workers > 1)); then
  # --dist loadfile: a test file runs whole on one worker, so a module's fixtures (a served
  # demo, a chromium) are set up once, as in a run without xdist.
  parallel=(-n "$workers" --dist loadfile)
fi
started=$(date +%s)
.venv/bin/pytest "${parallel[@]}" "$@"
echo "test suite took $(( $(date +%s) - started )) s ($workers worker(s))"
