"""BPMN 2.0 models as exported by Camunda Modeler 7 and 8 and Signavio."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.graph.store import Store
from journeykg.loaders.recipe import InputSpec, load_recipe, parse_recipe
from journeykg.loaders.source import LooksUpStore
from journeykg.loaders.sources import SourceError, open_source
from journeykg.loaders.sources.bpmn_calls import UNRESOLVED_RULE
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.resources import DEMO_DATASET
from tests.loaders.sources_helpers import FIXTURES, IDS, Run, run, run_recipe

BPMN = FIXTURES / "bpmn"


def edges(result: object, predicate: object) -> dict[str, set[str]]:

    assert isinstance(result, Run)
    found: dict[str, set[str]] = {}
    for s, o in result.graph.subject_objects(predicate):  # type: ignore[arg-type]
        found.setdefault(IDS.key(str(s)), set()).add(IDS.key(str(o)))
    return found


def run_beside(store: Store) -> Run:
    """Read the fixtures' recipe as a sync does: beside a store (holding the demo), which
    resolves the calls to processes the models do not hold."""
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    recipe = load_recipe(BPMN / "recipe.yaml")
    source = open_source(recipe, store.ids)
    assert isinstance(source, LooksUpStore)
    source.look_up_in(store)
    return Run(list(source.read(None)))


def test_processes_sub_processes_and_call_activities_become_dependencies(store: Store) -> None:
    result = run_beside(store)
    assert edges(result, JKG.dependsOn) == {
        "process/kredietcheck": {"process/klantidentificatie", "process/bkr-toets"},
        "process/bkr-toets": {"process/adresvalidatie"},
        # the Signavio pool calls the Camunda process by its BPMN id: one key across files
        "process/verhuisafhandeling": {
            "process/adresvalidatie-verhuizing",
            "process/kredietcheck",
        },
        "process/adresvalidatie-verhuizing": {"process/beschikbaarheidscheck"},
        # Camunda 8 names the called process in <zeebe:calledElement processId=...>
        "process/process-storingsafhandeling": {"process/storingsdiagnose"},
    }


def test_calls_to_processes_neither_in_the_models_nor_in_the_store_are_warnings() -> None:
    result = run_recipe(BPMN / "recipe.yaml")
    assert edges(result, JKG.dependsOn) == {
        "process/kredietcheck": {"process/bkr-toets"},
        "process/verhuisafhandeling": {"process/adresvalidatie-verhuizing", "process/kredietcheck"},
    }
    warnings = [w for b in result.batches for w in b.warnings]
    assert {(w.file, w.node, w.value, w.rule, w.severity) for w in warnings} == {
        ("kredietcheck-camunda.bpmn", call, called, UNRESOLVED_RULE, "Warning")
        for call, called in [
            ("Activity_KlantIdentificeren", "klantidentificatie"),
            ("Activity_AdresControleren", "adresvalidatie"),
        ]
    } | {
        (
            "verhuizen-signavio.bpmn",
            "sid-CALL-beschikbaarheid",
            "beschikbaarheidscheck",
            UNRESOLVED_RULE,
            "Warning",
        ),
        ("storing-zeebe.bpmn", "Call_Diagnose", "storingsdiagnose", UNRESOLVED_RULE, "Warning"),
    }
    assert not any(p.rule == UNRESOLVED_RULE for p in result.rejected)


def test_lanes_become_roles_that_perform_the_processes() -> None:
    result = run_recipe(BPMN / "recipe.yaml")
    assert edges(result, JKG.performedBy) == {
        "process/kredietcheck": {"role/acceptatiemedewerker", "role/kredietanalist"},
        "process/bkr-toets": {"role/kredietanalist"},
        "process/verhuisafhandeling": {
            "role/backoffice-medewerker",
            "role/planner-installaties",
            "role/monteur",
        },
        "process/adresvalidatie-verhuizing": {"role/backoffice-medewerker"},
        "process/process-storingsafhandeling": {"role/servicedesk-storingen", "role/monteur"},
    }
    roles = {IDS.key(str(s)) for s in result.graph.subjects(RDF.type, JKG.Role)}
    assert roles == {
        "role/acceptatiemedewerker",
        "role/kredietanalist",
        "role/backoffice-medewerker",
        "role/planner-installaties",
        "role/monteur",
        "role/servicedesk-storingen",
    }


def test_labels_come_from_names_or_the_pool() -> None:
    result = run_recipe(BPMN / "recipe.yaml")
    labels = {IDS.key(str(s)): str(o) for s, o in result.graph.subject_objects(RDFS.label)}
    assert labels["process/kredietcheck"] == "Kredietcheck"
    assert labels["process/verhuisafhandeling"] == "Verhuisafhandeling"  # the participant's name
    assert labels["process/bkr-toets"] == "BKR-toets uitvoeren"


def test_one_record_per_process_and_role_keyed_on_its_key() -> None:
    result = run_recipe(BPMN / "recipe.yaml")
    assert sorted(result.by_id) == sorted(
        {
            "process/kredietcheck",
            "process/bkr-toets",
            "process/verhuisafhandeling",
            "process/adresvalidatie-verhuizing",
            "process/process-storingsafhandeling",
            "role/acceptatiemedewerker",
            "role/kredietanalist",
            "role/backoffice-medewerker",
            "role/planner-installaties",
            "role/monteur",
            "role/servicedesk-storingen",
        }
    )
    assert result.by_id["process/bkr-toets"].origin == "kredietcheck-camunda.bpmn#bkr-toets"


def test_what_cannot_be_mapped_is_a_problem_naming_file_element_and_rule() -> None:
    result = run_recipe(BPMN / "recipe.yaml")
    assert {(p.file, p.node, p.property, p.rule) for p in result.rejected} == {
        (
            "verhuizen-signavio.bpmn",
            "sid-CALL-installatie",
            "calledElement",
            "call activity names the process it calls",
        ),
        (
            "storing-zeebe.bpmn",
            "Call_Zelf",
            "calledElement",
            "a process does not depend on itself",
        ),
    }


def test_keys_from_names() -> None:
    recipe = parse_recipe(
        "name: b\nkind: bpmn\ninput: {files: [kredietcheck-camunda.bpmn]}\nbpmn: {key_from: name}\n"
    )
    from journeykg.loaders.sources import open_source

    result = Run(list(open_source(recipe, IDS, recipe_dir=BPMN).read(None)))
    assert "process/bkr-toets-uitvoeren" in result.by_id


@pytest.mark.parametrize("name", ["billion-laughs.bpmn", "external-entity.bpmn"])
def test_hostile_xml_is_refused_without_expanding_entities(name: str) -> None:
    recipe = load_recipe(BPMN / "recipe.yaml").model_copy(
        update={"input": InputSpec(files=[f"hostile/{name}"])}
    )
    with pytest.raises(SourceError) as raised:
        run(recipe)
    (problem,) = raised.value.problems
    assert problem.file == f"hostile/{name}"
    assert problem.rule == "XML without DTD or entity declarations"


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        (b"<definitions><process", "well-formed XML"),
        (
            b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
            "BPMN 2.0 definitions",
        ),
    ],
)
def test_not_bpmn_is_refused(payload: bytes, rule: str) -> None:
    with pytest.raises(SourceError) as raised:
        run(load_recipe(BPMN / "recipe.yaml"), payload=payload)
    assert raised.value.problems[0].rule == rule


def test_a_posted_model_is_read_like_a_file(tmp_path: Path) -> None:
    payload = (BPMN / "storing-zeebe.bpmn").read_bytes()
    result = run(load_recipe(BPMN / "recipe.yaml"), payload=payload)
    assert "process/process-storingsafhandeling" in result.by_id
