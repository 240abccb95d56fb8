"""BPMN as the Model Interchange Working Group's models and other tools write it (issue 14, 8).

Inputs come from the corpus generator (tests/loaders/bpmn_corpus.py), in the
dialect of the tool each case names. Syncs run on both backends.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from journeykg.graph.store import Store
from journeykg.loaders.recipe import RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sources import SourceError, open_source
from journeykg.loaders.sources.bpmn_calls import UNRESOLVED_RULE
from journeykg.loaders.sources.bpmn_keys import derive_keys
from journeykg.loaders.sources.bpmn_model import EMPTY_RULE, BpmnProcess, Ref
from journeykg.loaders.sync import SyncReport, sync
from journeykg.namespaces import JKG, RDF, RDFS
from tests.loaders.bpmn_corpus import Case, Expected, corpus
from tests.loaders.bpmn_tools import TOOLS, Doc
from tests.loaders.sources_helpers import IDS, Run
from tests.snapshot import graph_dump

CASES = {c.name: c for c in corpus()}
TOOL = {t.name: t for t in TOOLS}


def write(case: Case, directory: Path, files: list[str] | None = None, name: str = "") -> Path:
    """The case's files and a recipe (named ``name``, over ``files``) in ``directory``."""
    recipe = case.write(directory)
    if files is not None or name:
        text = recipe.read_text(encoding="utf-8")
        if files is not None:
            text = text.replace(
                text.split("files: ")[1].split("\n")[0], "[" + ", ".join(files) + "]"
            )
        if name:
            text = text.replace(text.split("\n")[0], f"name: {name}")
        recipe.write_text(text, encoding="utf-8")
    return recipe


def synced(store: Store, recipe: Path) -> SyncReport:
    """Sync the recipe at ``recipe`` into ``store``."""
    return sync(store, open_source(load_recipe(recipe), store.ids, recipe_dir=recipe.parent))


def read(recipe: Path) -> Run:
    """Read the recipe's source without a store."""
    return Run(list(open_source(load_recipe(recipe), IDS, recipe_dir=recipe.parent).read(None)))


def labelled(store: Store, label: str) -> URIRef:
    """The process labelled ``label``@en in the store."""
    graph = store.export()
    (found,) = {s for s in graph.subjects(RDFS.label, Literal(label, lang="en"))}
    assert isinstance(found, URIRef)
    return found


def depends(store: Store, process: URIRef) -> set[URIRef]:
    return {o for o in store.export().objects(process, JKG.dependsOn) if isinstance(o, URIRef)}


# --- global tasks ------------------------------------------------------------------------


def test_a_call_to_a_global_task_keeps_the_caller_and_depends_on_the_task(
    store: Store, tmp_path: Path
) -> None:
    report = synced(store, write(CASES["B.1.0/camunda"], tmp_path))
    assert (report.status, report.rejected, report.warnings) == ("ok", 0, [])
    claims = labelled(store, "Claim handling")
    tasks = {labelled(store, "Check credit"), labelled(store, "Approve payout")}
    assert tasks <= depends(store, claims)
    for task in tasks:
        assert (task, RDF.type, JKG.BackofficeProcess) in store.export()


# --- calls across files ------------------------------------------------------------------


def test_a_prefixed_call_into_another_file_of_the_recipe_is_resolved(
    store: Store, tmp_path: Path
) -> None:
    # Camunda gives both files' process the id Process_1: the namespace tells them apart
    report = synced(store, write(CASES["C.1.0/camunda"], tmp_path))
    assert (report.status, report.rejected, report.warnings) == ("ok", 0, [])
    moving, checking = labelled(store, "Move handling"), labelled(store, "Address check")
    assert depends(store, moving) == {checking}
    assert {IDS.key(str(moving)), IDS.key(str(checking))} == {
        "process/c-1-0/process-1",
        "process/shared/process-1",
    }


def test_a_call_to_a_process_another_recipe_synced_is_resolved_in_the_store(
    store: Store, tmp_path: Path
) -> None:
    case = CASES["C.1.0/signavio"]
    first = synced(store, write(case, tmp_path / "a", ["shared.bpmn"], name="shared-models"))
    assert (first.status, first.written) == ("ok", 1)
    second = synced(store, write(case, tmp_path / "b", ["C.1.0.bpmn"], name="move-models"))
    assert (second.status, second.rejected, second.warnings) == ("ok", 0, [])
    assert depends(store, labelled(store, "Move handling")) == {labelled(store, "Address check")}


def test_a_call_leading_nowhere_yet_keeps_the_caller_warns_and_resolves_on_the_next_sync(
    store: Store, tmp_path: Path
) -> None:
    recipe = write(CASES["C.2.0/enterprise-architect"], tmp_path / "c")
    report = synced(store, recipe)
    assert (report.status, report.rejected, report.written) == ("ok", 0, 1)
    warned = {(w.file, w.value, w.rule, w.severity) for w in report.warnings}
    assert warned == {
        ("C.2.0.bpmn", "credit:Process_Credit", UNRESOLVED_RULE, "Warning"),
        ("C.2.0.bpmn", "Process_Identify", UNRESOLVED_RULE, "Warning"),
    }
    (credit,) = [w for w in report.warnings if w.value == "credit:Process_Credit"]
    assert "imported from credit.bpmn" in credit.message
    contract = labelled(store, "Contract")
    assert depends(store, contract) == set()
    # the called process arrives through another recipe; the next sync of the first adds it
    called = Doc(TOOL["enterprise-architect"], "identify")
    xml = called.render(
        [called.el("process", {"id": "Process_Identify", "name": "Identify customer"})], None
    )
    other = tmp_path / "identify"
    other.mkdir()
    (other / "identify.bpmn").write_bytes(xml)
    (other / "recipe.yaml").write_text(
        "name: identify\nkind: bpmn\ninput: {files: [identify.bpmn]}\nbpmn: {language: en}\n",
        encoding="utf-8",
    )
    assert synced(store, other / "recipe.yaml").written == 1
    again = synced(store, recipe)
    assert [w.value for w in again.warnings] == ["credit:Process_Credit"]
    assert depends(store, contract) == {IDS.iri("process/process-identify")}


def test_a_call_mapped_to_the_key_of_a_process_of_the_input_needs_no_store(
    tmp_path: Path,
) -> None:
    # bpmn.processes gives the process of one model and the call of another one key
    directory = tmp_path / "mapped"
    (record,) = read(write(CASES["A.1.0/signavio"], directory)).records
    identify = record.origin.split("#")[1]
    recipe = write(CASES["C.2.0/signavio"], directory, ["A.1.0.bpmn", "C.2.0.bpmn"])
    mapping = f"{{{identify}: process/identify, Process_Identify: process/identify}}"
    text = recipe.read_text(encoding="utf-8")
    recipe.write_text(text.replace("bpmn:\n", f"bpmn:\n  processes: {mapping}\n"), "utf-8")
    result = read(recipe)
    (contract,) = [r for r in result.records if r.origin.startswith("C.2.0.bpmn")]
    assert set(contract.graph.objects(None, JKG.dependsOn)) == {IDS.iri("process/identify")}
    assert [w.value for b in result.batches for w in b.warnings] == ["credit:Process_Credit"]


# --- keys --------------------------------------------------------------------------------


def test_process_and_sub_process_keys_do_not_collide_and_a_resync_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    recipe = write(CASES["A.3.0/bpmn.io"], tmp_path)
    report = synced(store, recipe)
    assert (report.status, report.rejected, report.written) == ("ok", 0, 3)
    parent = IDS.iri("process/process-1")
    assert depends(store, parent) == {
        IDS.iri("process/subprocess-1"),
        IDS.iri("process/subprocess-2"),
    }
    again = synced(store, recipe)
    assert (again.written, again.unchanged, again.retired) == (0, 3, 0)


def _processes(*refs: tuple[str, str, str | None]) -> dict[Ref, BpmnProcess]:
    return {Ref(f, i): BpmnProcess(Ref(f, i), name, "process", "en") for f, i, name in refs}


def test_keys_are_qualified_by_file_then_by_a_hash_only_where_they_would_collide() -> None:
    processes = _processes(
        ("main.bpmn", "Process_1", "Handle"),
        ("shared.bpmn", "Process_1", "Handle"),
        ("main.bpmn", "Task_A", None),
        ("main.bpmn", "task-a", None),
        ("main.bpmn", "sid-9F2C", None),
        ("main.bpmn", "kept", None),
    )
    keys = derive_keys(processes, prefix="process/", by_name=False, mapped={"kept": "process/x"})
    assert keys == {
        Ref("main.bpmn", "Process_1"): "process/main/process-1",
        Ref("shared.bpmn", "Process_1"): "process/shared/process-1",
        Ref("main.bpmn", "Task_A"): "process/main/task-a-7584cb4f",
        Ref("main.bpmn", "task-a"): "process/main/task-a-12866b81",
        Ref("main.bpmn", "sid-9F2C"): "process/sid-9f2c",
        Ref("main.bpmn", "kept"): "process/x",
    }
    # the same input in another order gives the same keys
    shuffled = dict(reversed(list(processes.items())))
    assert (
        derive_keys(shuffled, prefix="process/", by_name=False, mapped={"kept": "process/x"})
        == keys
    )
    # a derived key never takes a mapped one
    clash = derive_keys(
        _processes(("m.bpmn", "x", None)),
        prefix="process/",
        by_name=False,
        mapped={"y": "process/x"},
    )
    assert clash == {Ref("m.bpmn", "x"): "process/m/x"}


# --- empty models ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "holds"),
    [
        ("imports-only/trisotech", "only 2 imports"),
        ("collaboration-only/camunda", "only 1 collaboration, 1 import"),
        ("empty-definitions/signavio", "nothing but the definitions element"),
    ],
)
def test_an_input_holding_no_process_is_refused_as_empty_and_nothing_changes(
    store: Store, tmp_path: Path, case: str, holds: str
) -> None:
    synced(store, write(CASES["A.1.0/signavio"], tmp_path / "before"))
    before = graph_dump(store.export())
    with pytest.raises(SourceError, match="hold no process") as refused:
        synced(store, write(CASES[case], tmp_path / "empty"))
    (problem,) = refused.value.problems
    assert problem.rule == EMPTY_RULE
    assert holds in problem.message
    assert graph_dump(store.export()) == before


def test_an_empty_file_among_models_is_a_warning(store: Store, tmp_path: Path) -> None:
    directory = tmp_path / "both"
    write(CASES["imports-only/trisotech"], directory)
    recipe = write(CASES["A.1.0/trisotech"], directory, ["A.1.0.bpmn", "imports.bpmn"])
    report = synced(store, recipe)
    assert (report.status, report.rejected, report.written) == ("ok", 0, 1)
    assert [(w.file, w.rule) for w in report.warnings] == [("imports.bpmn", EMPTY_RULE)]


# --- lanes and languages -----------------------------------------------------------------


def test_an_unnamed_default_lane_is_passed_over(tmp_path: Path) -> None:
    result = read(write(CASES["A.4.1/camunda"], tmp_path))
    assert result.rejected == []
    roles = {IDS.key(str(s)) for s in result.graph.subjects(RDF.type, JKG.Role)}
    assert roles == {"role/operations", "role/planner", "role/engineer"}


def _languages(result: Run) -> set[str | None]:
    return {o.language for o in result.graph.objects(None, RDFS.label) if isinstance(o, Literal)}


def test_labels_take_the_recipe_language_else_the_model_s_else_none_is_assumed(
    tmp_path: Path,
) -> None:
    case = CASES["A.4.0/bizagi"]
    assert _languages(read(write(case, tmp_path / "en"))) == {"en"}
    unset = Case(case.name, case.files, case.expected, language=None)
    assert _languages(read(write(unset, tmp_path / "none"))) == {"und"}
    doc = Doc(TOOL["bizagi"], "lang")
    german = doc.render([doc.el("process", {"id": "P", "name": "Rechnung prüfen"})], None, "de")
    tagged = Case("de", {"de.bpmn": german}, case.expected, language=None)
    assert _languages(read(write(tagged, tmp_path / "de"))) == {"de"}
    tagged_en = Case("de", {"de.bpmn": german}, case.expected, language="en-GB")
    assert _languages(read(write(tagged_en, tmp_path / "de-en"))) == {"en-GB"}


@pytest.mark.parametrize(
    ("written", "language", "warned"),
    [("en_US", "en-US", False), ("English (UK)", "und", True), ("x", "und", True)],
)
def test_an_xml_lang_that_is_no_language_tag_is_a_warning_not_a_crash(
    tmp_path: Path, written: str, language: str, warned: bool
) -> None:
    doc = Doc(TOOL["adonis"], "lang")
    model = doc.render([doc.el("process", {"id": "P", "name": "Claims"})], None, written)
    case = Case("lang", {"lang.bpmn": model}, Expected("accepted", 1), language=None)
    result = read(write(case, tmp_path))
    assert _languages(result) == {language}
    warnings = [w for b in result.batches for w in b.warnings]
    assert [(w.file, w.property, w.value) for w in warnings] == (
        [("lang.bpmn", "xml:lang", written)] if warned else []
    )


def test_a_language_that_is_no_language_tag_is_refused_by_the_recipe() -> None:
    with pytest.raises(RecipeError, match=r"bpmn\.language"):
        parse_recipe("name: b\nkind: bpmn\ninput: {files: [x.bpmn]}\nbpmn: {language: Dutch!}\n")
