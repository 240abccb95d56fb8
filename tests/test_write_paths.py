"""Every write path leaves governed data to the governance workflow, on both backends.

The store holds the demo organisation (loaded from its file: the framework has no
status, so it counts as approved) and the shipped glossary, opened as the CLI and the
API open it (the audited store). Each path is asked to change a governed element and
must refuse, naming the element, the field and the workflow step, with the stored
graph, the governance history and the audit journal exactly as before; with
``--propose`` the same input becomes change proposals. A sync also may not merge into
an element its source did not create: the CSV bundle of another organisation collides
with the demo's hand-made ``journey/verhuizen``.

| path | refused | proposed |
|---|---|---|
| ``journeykg load`` | test_load_* | test_load_with_propose_* |
| ``journeykg restore`` | test_restore_* | (restores only into an empty store) |
| ``load --offline-import`` | the audited store's guard (``recorded_into_empty``) | (empty only) |
| ``journeykg sync`` | test_cli_sync_* | test_cli_sync_with_propose_* |
| ``POST /sync/{source}`` | test_rest_sync_* | (an integrator may not propose) |
| ``journeykg glossary import`` | test_glossary_import_* | test_glossary_import_with_propose_* |
| GraphQL | test_graphql_* | test_graphql_* (proposeChange) |
| any other write | tests/graph/test_governed.py (the audited store's guard) | |
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from typer.testing import CliRunner

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import open_store, state_of, token_store
from journeykg.cli.app import app as cli
from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from journeykg.loaders.provenance import stamp
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from journeykg.services.governance import service
from journeykg.services.governance.transitions import Status
from journeykg.settings import Settings
from tests.conftest import BACKENDS, BASE
from tests.snapshot import Snapshot
from tests.snapshot import snapshot as snapshot_of

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "examples" / "csv-bundle"
GLOSSARY_FIXTURES = ROOT / "tests" / "loaders" / "fixtures"
POST = "owner/manager-klantinzicht"
STEWARD = ("--by", "owner/lead-cx-office", "--role", "steward")
#: Two lines that rename an approved stage of the demo's lifecycle framework.
RENAME = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://id.journeykg.example/stage/kopen> skos:prefLabel "Kopen"@nl .
"""
#: An RDF source that delivers whatever Turtle it is given, one record per subject.
KADER_RECIPE = """name: kader
kind: rdf
mode: full
input:
  files: ["*.ttl"]
  format: turtle
"""
WATCHED = ("stage/kopen", "concept/journey", "journey/verhuizen")


def snapshot(settings: Settings) -> Snapshot:
    """Graph, history of the watched elements and journal, as the CLI's store holds them."""
    with open_store(settings) as store:
        return snapshot_of(store, WATCHED)


@pytest.fixture(params=BACKENDS)
def kg(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The demo organisation and the journeykg glossary, loaded, in a store of each backend.

    The environment names it, so the CLI opens the same store as the tests do.
    """
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    if request.param == "neo4j":
        neo4j: Settings = request.getfixturevalue("neo4j_settings")
        request.getfixturevalue("neo4j_store")  # the shared server, emptied
        assert neo4j.neo4j_uri is not None
        monkeypatch.setenv("JOURNEYKG_BACKEND", "neo4j")
        monkeypatch.setenv("JOURNEYKG_NEO4J_URI", neo4j.neo4j_uri)
    else:
        monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
        monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
        monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "kg"))
    settings = Settings()
    with open_store(settings, audited=False) as store:
        for dataset in (DEMO_DATASET, GLOSSARY_DATASET):
            # As `journeykg load` writes it (the gate is that command's own test).
            graph = Graph().parse(dataset, format="turtle")
            stamp(graph, store.ids, dataset.name, datetime.now(UTC))
            store.upsert(graph)
    return settings


@pytest.fixture
def rename(tmp_path: Path) -> Path:
    path = tmp_path / "kader" / "rename.ttl"
    path.parent.mkdir()
    path.write_text(RENAME)
    (path.parent / "recipe.yaml").write_text(KADER_RECIPE)
    return path


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def proposals_of(settings: Settings, key: str) -> list[tuple[str, Status, dict[str, str]]]:
    with open_store(settings) as store:
        return [
            (p.id, p.status, p.text.pref_labels or p.text.definitions)
            for p in service.history(store, key).proposals
        ]


# --- journeykg load ---------------------------------------------------------------------


def test_load_that_renames_a_stage_is_refused(kg: Settings, rename: Path) -> None:
    before = snapshot(kg)
    code, output = run("load", str(rename))
    assert code == 1, output
    assert "it would change stage/kopen, governed data" in output
    assert "node stage/kopen, property skos:prefLabel, value 'Kopen'" in output
    assert "stage/kopen is a stage of the lifecycle framework (approved" in output
    assert "journeykg governance propose-change stage/kopen --label 'nl=Kopen'" in output
    assert "GraphQL proposeChange" in output
    assert "With --propose --by POST" in output
    assert snapshot(kg) == before


def test_load_of_another_organisations_framework_is_refused(kg: Settings) -> None:
    before = snapshot(kg)
    code, output = run("load", str(BUNDLE / "framework" / "lifecycle.ttl"))
    assert code == 1, output
    for element, field in [
        ("stage/gebruiken", "skos:prefLabel"),
        ("reason/storing-melden", "skos:definition"),
        ("reason/storing-melden", "jkg:inPhase"),
    ]:
        assert f"node {element}, property {field}" in output
    assert "journeykg governance deprecate reason/storing-melden --replacement NEW" in output
    assert snapshot(kg) == before


def test_load_with_propose_makes_a_change_proposal_and_nothing_else(
    kg: Settings, rename: Path
) -> None:
    before = snapshot(kg)
    code, output = run("load", str(rename), "--propose", "--by", POST)
    assert code == 0, output
    assert "proposed stage/kopen/change/1" in output
    with open_store(kg) as store:
        # The approved text stays in force; the change keeps the English label.
        assert service.show(store, "stage/kopen").text.pref_labels == {
            "nl": "Aanvragen en kopen",
            "en": "Apply and buy",
        }
        (proposal,) = service.history(store, "stage/kopen").proposals
        assert (proposal.status, proposal.text.pref_labels) == (
            Status.PROPOSED,
            {"nl": "Kopen", "en": "Apply and buy"},
        )
        (step,) = service.history(store, "stage/kopen").activities
        assert (step.kind, step.by, step.rationale) == (
            "Proposal",
            POST,
            "proposed by load of rename.ttl",
        )
    # Again: the open proposal already holds it; nothing new.
    after = snapshot(kg)
    code, output = run("load", str(rename), "--propose", "--by", POST)
    assert (code, "proposed stage/kopen/change/1" in output) == (0, True)
    assert snapshot(kg).history == after.history
    code, output = run(
        "governance", "approve", "stage/kopen/change/1", *STEWARD, "--reason", "Korter"
    )
    assert code == 0, output
    with open_store(kg) as store:
        assert service.show(store, "stage/kopen").text.pref_labels["nl"] == "Kopen"
        assert len(service.history(store, "stage/kopen").versions) == 1
    journal = snapshot(kg).journal  # oldest first: the proposal and the approval follow
    assert journal.startswith(before.journal)
    assert '"action": "cli:load"' in journal[len(before.journal) :]


def test_load_propose_refuses_what_a_change_proposal_cannot_carry(kg: Settings) -> None:
    before = snapshot(kg)
    code, output = run(
        "load", str(BUNDLE / "framework" / "lifecycle.ttl"), "--propose", "--by", POST
    )
    assert code == 1, output
    assert "Only the texts of elements in force" in output
    assert "node reason/storing-melden, property jkg:inPhase" in output
    assert snapshot(kg) == before


# --- journeykg restore ------------------------------------------------------------------


def test_restore_that_renames_a_stage_is_refused(kg: Settings, tmp_path: Path) -> None:
    backup = tmp_path / "backup.nt"
    assert run("export", str(backup))[0] == 0
    text = backup.read_text()
    assert '"Aanvragen en kopen"@nl' in text
    backup.write_text(text.replace('"Aanvragen en kopen"@nl', '"Kopen"@nl'))
    before = snapshot(kg)
    code, output = run("restore", str(backup))
    assert code == 2, output
    assert "the store is not empty" in output
    assert "it would also change governed data (1 field(s))" in output
    assert "node stage/kopen, property skos:prefLabel, value 'Kopen'" in output
    assert "propose-change stage/kopen --label 'en=Apply and buy' --label 'nl=Kopen'" in output
    assert snapshot(kg) == before


# --- journeykg sync and POST /sync ---------------------------------------------------------


def test_cli_sync_that_renames_a_stage_is_refused(kg: Settings, rename: Path) -> None:
    before = snapshot(kg)
    code, output = run("sync", str(rename.parent / "recipe.yaml"), "--strict")
    assert code == 1, output
    assert "sync of kader (full): nothing written" in output
    assert "rejected stage/kopen from rename.ttl: stage/kopen skos:prefLabel:" in output
    assert "journeykg governance propose-change stage/kopen --label 'nl=Kopen'" in output
    assert "[governed data]" in output
    assert snapshot(kg) == before


def test_cli_sync_with_propose_makes_a_change_proposal(kg: Settings, rename: Path) -> None:
    code, output = run("sync", str(rename.parent / "recipe.yaml"), "--propose", "--by", POST)
    assert code == 0, output
    assert "1 record(s) became change proposals" in output
    assert "proposed stage/kopen/change/1" in output
    assert proposals_of(kg, "stage/kopen") == [
        ("stage/kopen/change/1", Status.PROPOSED, {"nl": "Kopen", "en": "Apply and buy"})
    ]
    with open_store(kg) as store:
        assert service.show(store, "stage/kopen").label == "Aanvragen en kopen"


def test_cli_sync_of_another_organisations_bundle_is_refused(kg: Settings, tmp_path: Path) -> None:
    """Strict: nothing is written; every colliding record is named with its owner and rule."""
    before = snapshot(kg)
    quarantine = tmp_path / "refused.jsonl"
    code, output = run(
        "sync", str(BUNDLE / "recipe.yaml"), "--strict", "--quarantine", str(quarantine)
    )
    assert code == 1, output
    assert "nothing written" in output
    lines = [json.loads(line) for line in quarantine.read_text().splitlines()]
    (verhuizen,) = [line for line in lines if line["external_id"] == "journey/verhuizen"]
    (problem,) = [p for p in verhuizen["problems"] if p["rule"] != "governed data"]
    assert (problem["node"], problem["property"], problem["rule"]) == (
        "journey/verhuizen",
        "jkg:syncedFrom",
        "made by hand, not by a source",
    )
    assert problem["value"].startswith("run/load-")
    assert "journey/verhuizen was loaded from poldertelecom.ttl (run/load-" in problem["message"]
    assert "zuiderzee-klantreizen does not merge into it" in problem["message"]
    assert verhuizen["origin"] == "journeys.csv:2"
    assert snapshot(kg) == before


@pytest.fixture
def api(
    kg: Settings, tmp_path: Path, rename: Path
) -> Iterator[tuple[TestClient, Store, TokenStore]]:
    """The app over the demo store, as `journeykg serve` opens it, with the two recipes."""
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    shutil.copy(rename.parent / "recipe.yaml", recipes / "kader.yaml")
    bundle = (BUNDLE / "recipe.yaml").read_text()
    (recipes / "zuiderzee.yaml").write_text(bundle)
    settings = kg.model_copy(update={"recipes_dir": recipes})
    store = open_store(settings)
    tokens = token_store(state_of(store, settings))
    try:
        yield TestClient(create_app(store, settings=settings)), store, tokens
    finally:
        store.close()


def bearer(tokens: TokenStore, role: Role) -> dict[str, str]:
    token = tokens.create(f"test-{role.value}", role, timedelta(days=1)).token
    return {"Authorization": f"Bearer {token}"}


def test_rest_sync_that_renames_a_stage_is_refused(
    api: tuple[TestClient, Store, TokenStore],
) -> None:
    client, store, tokens = api
    before = snapshot_of(store, WATCHED)
    response = client.post(
        "/sync/kader?strict=true",
        content=RENAME.encode(),
        headers=bearer(tokens, Role.INTEGRATOR),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["rejected"], report["written"]) == ("nothing written", 1, 0)
    (problem,) = report["rejections"][0]["problems"]
    assert (problem["node"], problem["property"], problem["rule"]) == (
        "stage/kopen",
        "skos:prefLabel",
        "governed data",
    )
    assert "propose-change stage/kopen --label 'nl=Kopen'" in problem["message"]
    assert snapshot_of(store, WATCHED) == before


def test_rest_sync_of_another_organisations_bundle_leaves_the_demo_as_it_was(
    api: tuple[TestClient, Store, TokenStore],
) -> None:
    """Lenient: the colliding records are refused, what is new to the store is written."""
    client, store, tokens = api
    ids = store.ids
    watched = [ids.iri(key) for key in WATCHED]
    before = canonical(store.describe(watched))
    history = snapshot_of(store, WATCHED).history
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w") as archive:
        for csv in sorted(BUNDLE.glob("*.csv")):
            archive.write(csv, csv.name)
    response = client.post(
        "/sync/zuiderzee-klantreizen",
        content=body.getvalue(),
        headers=bearer(tokens, Role.INTEGRATOR),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["status"] == "rejected", report["rejections"]
    refused = {(r["external_id"], p["rule"]) for r in report["rejections"] for p in r["problems"]}
    assert ("journey/verhuizen", "made by hand, not by a source") in refused, report["rejections"]
    assert canonical(store.describe(watched)) == before
    assert snapshot_of(store, WATCHED).history == history


# --- journeykg glossary import ---------------------------------------------------------------


def test_glossary_import_that_changes_an_approved_definition_is_refused(kg: Settings) -> None:
    before = snapshot(kg)
    code, output = run("glossary", "import", str(GLOSSARY_FIXTURES / "glossary-change.ttl"))
    assert code == 1, output
    assert "node concept/journey, property skos:definition" in output
    assert "concept/journey is a glossary concept (approved)" in output
    assert "journeykg governance propose-change concept/journey --definition 'nl=" in output
    assert snapshot(kg) == before


def test_glossary_import_with_propose_proposes_the_change_and_imports_the_rest(
    kg: Settings,
) -> None:
    code, output = run(
        "glossary",
        "import",
        str(GLOSSARY_FIXTURES / "glossary-change.ttl"),
        "--propose",
        "--by",
        POST,
    )
    assert code == 0, output
    assert "imported 1 concept(s)" in output
    assert "proposed concept/journey/change/1" in output
    with open_store(kg) as store:
        (proposal,) = service.history(store, "concept/journey").proposals
        assert sorted(proposal.text.definitions) == ["en", "nl"]  # the English one stays
        assert proposal.text.definitions["nl"].startswith("De weg die een klant aflegt")
        assert service.show(store, "concept/journey").status == Status.APPROVED
        assert service.show(store, "concept/klantreisregie").status == Status.PROPOSED


# --- GraphQL ------------------------------------------------------------------------------------

PROPOSE_STAGE = """mutation {
  proposeConcept(by: "owner/manager-klantinzicht", input: {id: "stage/kopen",
      prefLabels: [{language: "nl", text: "Kopen"}],
      definitions: [{language: "nl", text: "De klant koopt."}]}) {
    __typename ... on GovernanceRefusal { code message }
  }
}"""
CHANGE_STAGE = """mutation {
  proposeChange(id: "stage/kopen", by: "owner/manager-klantinzicht",
                change: {prefLabels: [{language: "nl", text: "Kopen"}]}) {
    __typename ... on ConceptChanged { proposal { id prefLabels { language text } } }
  }
}"""


def test_graphql_changes_governed_data_only_through_the_workflow(
    api: tuple[TestClient, Store, TokenStore],
) -> None:
    client, store, tokens = api
    architect = bearer(tokens, Role.ARCHITECT)
    before = snapshot_of(store, WATCHED)
    refused = client.post("/graphql", json={"query": PROPOSE_STAGE}, headers=architect).json()
    outcome = refused["data"]["proposeConcept"]
    assert outcome["code"] == "BAD_REQUEST"
    assert "stage/kopen" in outcome["message"]
    assert "proposeChange" in outcome["message"]
    assert snapshot_of(store, WATCHED) == before
    changed = client.post("/graphql", json={"query": CHANGE_STAGE}, headers=architect).json()
    proposal = changed["data"]["proposeChange"]["proposal"]
    assert proposal["id"] == "stage/kopen/change/1"
    assert {"language": "nl", "text": "Kopen"} in proposal["prefLabels"]
    assert service.show(store, "stage/kopen").label == "Aanvragen en kopen"
