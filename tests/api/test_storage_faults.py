"""A full disk and an unwritable state directory, for real: 503, reads go on, recovery alone.

The embedded store and the state directory (tokens, audit trail) sit on a
small tmpfs that the test fills and frees, or on a directory the test makes
read-only and writable again. The app is never restarted in between.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import open_store
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.test_governance import PROPOSE
from tests.conftest import read_fixture
from tests.disk_faults import fill, read_only, small_disk
from tests.services.governance.conftest import BOARD
from tests.sync_salesforce import FRAMEWORK, NAME, chain, recipes_dir

READ = {"query": '{ element(id: "stage/s") { id } }'}


def _proposal(n: int) -> dict[str, Any]:
    return {
        "query": PROPOSE,
        "variables": {
            "id": f"concept/disk-{n}",
            "nl": f"Schijfterm {n}",
            "en": f"Disk term {n}",
            "definitions": [{"language": "nl", "text": f"De schijfterm nummer {n}."}],
        },
    }


class Served:
    """An app over an embedded store in ``root``, with a token per role."""

    def __init__(self, root: Path) -> None:
        self.settings = Settings(
            state_dir=root / "state",
            store_dir=root / "store",
            backend="embedded",
            neo4j_uri=None,  # one in the environment (make test sets one) would choose Neo4j
            recipes_dir=recipes_dir(root / "recipes"),
        )
        self.store: Store = open_store(self.settings)
        data = read_fixture("impact_small.ttl")
        data.parse(BOARD, format="turtle")
        data.parse(FRAMEWORK, format="turtle")
        self.store.upsert(data)
        self.state = root / "state"
        self.tokens = TokenStore(self.state / TOKENS_FILE)
        self.client = TestClient(
            create_app(self.store, settings=self.settings), raise_server_exceptions=False
        )

    def bearer(self, role: Role, name: str) -> dict[str, str]:
        token = self.tokens.create(name, role, timedelta(days=1)).token
        return {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        self.client.close()
        self.store.close()


@pytest.fixture
def served_on_small_disk(tmp_path: Path) -> Iterator[tuple[Served, Path]]:
    with small_disk(tmp_path / "disk") as disk:
        served = Served(disk)
        try:
            yield served, disk
        finally:
            served.close()


def _assert_storage_503(response: Any, fault: str) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    if response.headers["content-type"].startswith("application/problem+json"):
        body = response.json()
        assert body["fault"] == fault, body
        text = body["detail"]
    else:
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "STORE_UNAVAILABLE", error
        assert error["extensions"]["fault"] == fault, error
        text = error["message"]
    assert "cannot be written" in text, text


def test_a_full_disk_is_a_503_reads_go_on_and_writes_recover_alone(
    served_on_small_disk: tuple[Served, Path],
) -> None:
    served, disk = served_on_small_disk
    architect = served.bearer(Role.ARCHITECT, "architect")
    integrator = served.bearer(Role.INTEGRATOR, "integrator")
    api = served.client
    first = api.post("/graphql", json=_proposal(0), headers=architect)
    assert first.json()["data"]["proposeConcept"]["__typename"] == "ConceptChanged"
    assert api.get("/health/ready").status_code == 200

    filler = fill(disk)
    _assert_storage_503(api.post("/graphql", json=_proposal(1), headers=architect), "DISK_FULL")
    _assert_storage_503(api.post(f"/sync/{NAME}", json=chain(), headers=integrator), "DISK_FULL")
    read = api.post("/graphql", json=READ, headers=architect)
    assert read.status_code == 200, read.text
    assert read.json() == {"data": {"element": {"id": "stage/s"}}}
    ready = api.get("/health/ready")
    assert ready.status_code == 503, ready.text
    assert ready.headers["content-type"].startswith("application/problem+json")

    filler.unlink()
    assert api.get("/health/ready").status_code == 200
    again = api.post("/graphql", json=_proposal(2), headers=architect)
    assert again.json()["data"]["proposeConcept"]["__typename"] == "ConceptChanged", again.text
    synced = api.post(f"/sync/{NAME}", json=chain(), headers=integrator)
    assert synced.status_code == 200, synced.text
    kept = api.post(
        "/graphql", json={"query": '{ element(id: "concept/disk-0") { id } }'}, headers=architect
    )
    assert kept.json() == {"data": {"element": {"id": "concept/disk-0"}}}


def test_a_full_disk_found_by_readiness_before_any_write(
    served_on_small_disk: tuple[Served, Path],
) -> None:
    served, disk = served_on_small_disk
    filler = fill(disk)
    ready = served.client.get("/health/ready")
    assert ready.status_code == 503, ready.text
    assert ready.json()["fault"] == "DISK_FULL"
    filler.unlink()
    assert served.client.get("/health/ready").status_code == 200


def test_an_unwritable_state_directory_keeps_reads_and_refuses_writes_until_it_is_writable(
    tmp_path: Path,
) -> None:
    served = Served(tmp_path)
    try:
        # A token never used: its first use would record last_used, which now fails.
        architect = served.bearer(Role.ARCHITECT, "architect")
        admin = served.bearer(Role.ADMIN, "admin")
        spare = served.tokens.create("spare", Role.READER, timedelta(days=1)).info.id
        api = served.client
        with read_only(served.state):
            read = api.post("/graphql", json=READ, headers=architect)
            assert read.status_code == 200, read.text
            assert read.json() == {"data": {"element": {"id": "stage/s"}}}
            ready = api.get("/health/ready")
            assert ready.status_code == 503, ready.text
            assert ready.json()["fault"] == "NOT_WRITABLE"
            _assert_storage_503(
                api.post("/graphql", json=_proposal(1), headers=architect), "NOT_WRITABLE"
            )
            revoked = api.delete(f"/tokens/{spare}?reason=rotated", headers=admin)
            assert revoked.status_code == 503, revoked.text
            assert revoked.json()["fault"] == "NOT_WRITABLE"
        assert api.get("/health/ready").status_code == 200
        again = api.post("/graphql", json=_proposal(2), headers=architect)
        assert again.json()["data"]["proposeConcept"]["__typename"] == "ConceptChanged"
        assert api.delete(f"/tokens/{spare}?reason=rotated", headers=admin).status_code == 200
    finally:
        served.close()
