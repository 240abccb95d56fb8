"""Locust users for bench/load.py: the impact query, and POST /sync with a small CRM payload.

Which one runs is chosen by ``JKG_LOAD_SCENARIO`` (impact or sync); the run
stops after ``JKG_LOAD_MAX_REQUESTS`` requests or locust's ``--run-time``,
whichever comes first, so that a run is bounded either way.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from locust import HttpUser, constant, task
from locust.env import Environment

SCENARIO = os.environ.get("JKG_LOAD_SCENARIO", "impact")
MAX_REQUESTS = int(os.environ.get("JKG_LOAD_MAX_REQUESTS", "2000"))
IMPACT_OF = os.environ.get("JKG_LOAD_IMPACT_OF", "process/kredietcheck")
SYNC_SOURCE = os.environ.get("JKG_LOAD_SYNC_SOURCE", "salesforce-service-cloud")
PAYLOAD = Path(os.environ.get("JKG_LOAD_SYNC_PAYLOAD", "/dev/null"))
#: The API token requests carry (a reader's for impact, an integrator's for sync).
AUTHORIZATION = {"Authorization": f"Bearer {os.environ.get('JKG_LOAD_TOKEN', '')}"}
if SCENARIO not in ("impact", "sync"):
    raise SystemExit(f"JKG_LOAD_SCENARIO must be impact or sync, not {SCENARIO!r}")

#: A file holding the impact question to ask instead of IMPACT (e.g. api/queries/impact.graphql).
QUERY_FILE = os.environ.get("JKG_LOAD_QUERY_FILE")
#: Its variables besides ``of`` (JSON).
QUERY_VARIABLES = json.loads(os.environ.get("JKG_LOAD_QUERY_VARIABLES", "{}"))

# The README's first question (api/queries/examples.graphql), as an architect asks it.
README_IMPACT = """query($of: ID!) { impact(of: $of, maxHops: 8) { isComplete dataAsOf
  journeys(first: 10) { totalCount edges { node { element { id label } hops
    paths(first: 3) { totalCount edges { node { elements } } } } } }
  blastRadius { contacts complaints costEur }
  ownersToNotify { role { label } owners { owner { label } reason } } } }"""
IMPACT = Path(QUERY_FILE).read_text() if QUERY_FILE else README_IMPACT

_sent = 0
_guard = threading.Lock()


def _take_one(environment: Environment) -> bool:
    """Count a request against the cap; False (and the run ends) once it is spent."""
    global _sent
    with _guard:
        _sent += 1
        spent = _sent > MAX_REQUESTS
    if spent and environment.runner is not None:
        environment.runner.quit()
    return not spent


class ImpactUser(HttpUser):
    """Asks the impact of one back-office process, as an architect would, back to back."""

    wait_time = constant(0)
    weight = 1 if SCENARIO == "impact" else 0

    @task
    def impact(self) -> None:
        if not _take_one(self.environment):
            return
        with self.client.post(
            "/graphql",
            json={"query": IMPACT, "variables": {**QUERY_VARIABLES, "of": IMPACT_OF}},
            headers=AUTHORIZATION,
            name="impact",
            catch_response=True,
        ) as response:
            body = response.json() if response.status_code == 200 else {}
            if "errors" in body or not body.get("data"):
                response.failure(f"{response.status_code}: {str(body)[:200]}")


class SyncUser(HttpUser):
    """Posts the same small CRM export over and over, as a scheduler would (idempotent)."""

    wait_time = constant(0)
    weight = 1 if SCENARIO == "sync" else 0

    def on_start(self) -> None:
        self.payload = PAYLOAD.read_bytes()

    @task
    def sync(self) -> None:
        if not _take_one(self.environment):
            return
        with self.client.post(
            f"/sync/{SYNC_SOURCE}",
            data=self.payload,
            headers=AUTHORIZATION,
            name="sync",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            elif json.loads(response.text).get("status") != "ok":
                response.failure(f"sync status {json.loads(response.text).get('status')}")
