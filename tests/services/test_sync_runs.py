"""The run of a sync recipe that ``journeykg sync`` and ``POST /sync`` share, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.graph.audit_context import AuditActor, current_actor
from journeykg.graph.store import Store
from journeykg.loaders.sync import SyncHooks, SyncReport
from journeykg.services import sync_runs
from journeykg.services.sync_runs import Requester, RunFlags, UnknownSourceError
from tests.sync_salesforce import FRAMEWORK, NAME, REFUSED_ID, bad_recipe, chain, clean_recipe


@pytest.fixture
def framework(store: Store) -> Store:
    store.upsert(Graph().parse(FRAMEWORK, format="turtle"))
    return store


def test_a_recipe_file_and_the_same_payload_by_name_sync_alike(
    framework: Store, tmp_path: Path
) -> None:
    seen: list[AuditActor] = []

    def attributed(_: SyncReport) -> None:
        seen.append(current_actor())

    recipe = clean_recipe(tmp_path / "recipes")
    by_file = sync_runs.run_recipe(
        framework,
        sync_runs.recipe_at(recipe),
        Requester("alice", None, "cli"),
        hooks=SyncHooks(batch_done=attributed),
    )
    assert (by_file.source, by_file.status, by_file.written) == (NAME, "ok", 5)
    by_name = sync_runs.run_recipe(
        framework,
        sync_runs.recipe_named(recipe.parent, NAME),
        Requester("integration", "integrator", "rest", "req-1"),
        payload=json.dumps(chain()).encode(),
        hooks=SyncHooks(batch_done=attributed),
    )
    assert (by_name.status, by_name.written, by_name.unchanged) == ("ok", 0, 5)
    assert by_name.bookmark_after == by_file.bookmark_after
    assert {(a.name, a.role, a.action, a.request_id) for a in seen} == {
        ("alice", None, f"cli:sync:{NAME}", None),
        ("integration", "integrator", f"rest:sync:{NAME}", "req-1"),
    }


def test_refused_records_are_quarantined_and_a_dry_run_writes_nothing(
    framework: Store, tmp_path: Path
) -> None:
    located = sync_runs.recipe_at(bad_recipe(tmp_path / "recipes"))
    quarantine = tmp_path / "refused.jsonl"
    dry = sync_runs.run_recipe(
        framework, located, Requester("alice", None, "cli"), RunFlags(dry_run=True)
    )
    assert (dry.dry_run, dry.rejected, dry.run) == (True, 2, None)
    report = sync_runs.run_recipe(
        framework, located, Requester("alice", None, "cli"), RunFlags(quarantine=quarantine)
    )
    assert (report.status, report.written, report.rejected) == ("rejected", 1, 2)
    assert report.quarantine == str(quarantine)
    refused = [json.loads(line) for line in quarantine.read_text().splitlines()]
    assert REFUSED_ID in {r["external_id"] for r in refused}


def test_an_unknown_source_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnknownSourceError, match="no recipe named 'nope'"):
        sync_runs.recipe_named(tmp_path, "nope")
