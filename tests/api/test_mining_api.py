"""GraphQL ``journeyMining`` on both backends: the stored mining of a demo journey."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.services.mining_runs import run_mining
from journeykg.settings import Settings
from tests.api.conftest import MakeClient

QUERY = """
query($journey: ID!, $period: String) {
  journeyMining(journey: $journey, period: $period) {
    periodStart periodEnd
    journey { element { id } cases customers completed fitness skipped looped
              channelSwitches contacts repeatContacts generatedBy }
    steps { element { id label } reached stopped dropOffRate skipped medianSecondsToNext }
    touchpoints { element { id type } reached stopped dropOffRate }
  }
}
"""


def _ask(client: Any, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": QUERY, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_journey_mining_shows_drop_off_and_deviations(
    store: Store, make_client: MakeClient
) -> None:
    store.upsert(Graph().parse(DEMO_DATASET))
    settings = Settings(mining_key=SecretStr("api-test"))
    outcome = run_mining(
        store, DEMO_DATASET.parent / "mining" / "verhuizen.yaml", settings, actor="t"
    )
    january = outcome.periods[0]
    client = make_client(store, Role.READER)
    (period,) = _ask(client, journey="journey/verhuizen", period="2026-01")["data"]["journeyMining"]
    assert (period["periodStart"], period["periodEnd"]) == ("2026-01-01", "2026-01-31")
    journey = period["journey"]
    assert journey["cases"] == january.cases
    assert journey["completed"] == january.completed
    assert journey["skipped"] == january.deviation_cases("skipped") > 0
    assert journey["looped"] == january.deviation_cases("loops") > 0
    assert journey["channelSwitches"] == january.deviation_cases("channel_switch") > 0
    assert journey["fitness"] == pytest.approx(january.fitness, abs=1e-4)
    assert journey["generatedBy"].startswith("https://")
    steps = period["steps"]
    assert [s["element"]["id"] for s in steps] == [f"step/verhuizen-{i}" for i in range(1, 6)]
    assert [(s["reached"], s["stopped"]) for s in steps] == [
        (d.reached, d.stopped) for d in january.drop_off
    ]
    assert steps[-1]["medianSecondsToNext"] is None
    assert steps[0]["medianSecondsToNext"] > 0
    assert {t["element"]["type"] for t in period["touchpoints"]} == {"Touchpoint"}
    # Every period, and a period nothing was mined in.
    assert len(_ask(client, journey="journey/verhuizen")["data"]["journeyMining"]) == 1
    assert _ask(client, journey="journey/verhuizen", period="2025")["data"]["journeyMining"] == []
    assert _ask(client, journey="journey/opzeggen")["data"]["journeyMining"] == []


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"journey": "journey/verhuizen", "period": "maart"}, "BAD_REQUEST"),
        ({"journey": "step/verhuizen-1"}, "BAD_REQUEST"),
        ({"journey": "journey/bestaat-niet"}, "NOT_FOUND"),
    ],
)
def test_a_bad_question_is_a_coded_error(
    variables: dict[str, str], code: str, embedded_store: Store, make_client: MakeClient
) -> None:
    embedded_store.upsert(Graph().parse(DEMO_DATASET))
    body = _ask(make_client(embedded_store, Role.READER), **variables)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == code


def test_a_kept_answer_never_outlives_a_mining_run(store: Store, make_client: MakeClient) -> None:
    # journeyMining's answers are kept per graph generation (api/cached_answers.py):
    # the run's write must be seen by the very next question.
    store.upsert(Graph().parse(DEMO_DATASET))
    client = make_client(store, Role.READER)
    assert _ask(client, journey="journey/verhuizen")["data"]["journeyMining"] == []
    assert _ask(client, journey="journey/verhuizen")["data"]["journeyMining"] == []
    settings = Settings(mining_key=SecretStr("api-test"))
    run_mining(store, DEMO_DATASET.parent / "mining" / "verhuizen.yaml", settings, actor="t")
    assert len(_ask(client, journey="journey/verhuizen")["data"]["journeyMining"]) == 1
