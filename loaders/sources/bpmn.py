"""BPMN 2.0 process models (XML) -> back-office processes, their dependencies and roles.

- every ``<process>`` and every ``<subProcess>`` (also ``<transaction>`` and
  ``<adHocSubProcess>``) becomes a ``jkg:BackofficeProcess``, and so does every
  global task (``<globalTask>``, ``<globalUserTask>``, ...), which call
  activities call as they call a process;
- a process ``jkg:dependsOn`` the sub-processes it contains and what its
  ``<callActivity>`` s call (``calledElement``, or Camunda 8's
  ``<zeebe:calledElement processId>``), found in the recipe's models, else in
  the store, else left out with a warning (:mod:`.bpmn_calls`);
- every named ``<lane>`` becomes a ``jkg:Role``; a process is
  ``jkg:performedBy`` the roles of its lanes, a sub-process by the roles of
  the lanes that hold it; an unnamed (default) lane is passed over.

Reading the XML: :mod:`.bpmn_read`; keys: :mod:`.bpmn_keys`. A model that holds
no process is reported as empty: with a warning when other files of the
recipe hold processes, refused when none does (a full sync of nothing would
retire everything the source made).
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import Field
from rdflib import Graph, Literal

from journeykg.ids import Identifiers
from journeykg.loaders.recipe_model import ModelKey, Recipe, StrictConfig
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources._common import RecipeSource, SourceError, batches, input_files
from journeykg.loaders.sources.bpmn_calls import UNRESOLVED_RULE, CallTargets
from journeykg.loaders.sources.bpmn_keys import derive_keys, slug
from journeykg.loaders.sources.bpmn_model import BpmnModel, BpmnProcess, Ref
from journeykg.loaders.sources.bpmn_read import parse_bpmn
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.problems import Problem

if typing.TYPE_CHECKING:
    from journeykg.graph.store import Store


class BpmnConfig(StrictConfig):
    """How BPMN elements get their keys and their names' language."""

    process_prefix: str = "process/"
    role_prefix: str = "role/"
    key_from: typing.Literal["id", "name"] = "id"
    """Key processes by their BPMN id (stable across renames) or by their name."""
    processes: dict[str, ModelKey] = Field(default_factory=dict)
    """BPMN process/sub-process id or calledElement -> process key, to meet existing keys."""
    roles: dict[str, ModelKey] = Field(default_factory=dict)
    """Lane name -> role key."""
    language: str | None = Field(default=None, pattern=r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
    """Language of the names in the model (BCP 47); unset: the model's ``xml:lang``,
    else ``und`` (undetermined)."""


class Keys:
    """Keys of the processes and roles of one model, per the recipe (:mod:`.bpmn_keys`)."""

    def __init__(self, config: BpmnConfig, model: BpmnModel) -> None:
        self.config = config
        self.of: dict[Ref, str] = derive_keys(
            model.processes,
            prefix=config.process_prefix,
            by_name=config.key_from == "name",
            mapped=dict(config.processes),
        )

    def role(self, lane_name: str) -> str:
        """The key of the role a lane named ``lane_name`` stands for."""
        return self.config.roles.get(lane_name) or self.config.role_prefix + slug(lane_name)


#: Keys of called processes the store holds, asked in one go (None: no store to ask).
StoredProcesses = Callable[[set[str]], set[str]]


def dependencies(
    process: BpmnProcess,
    keys: Keys,
    targets: CallTargets,
    known: set[str],
) -> tuple[list[str], list[Problem]]:
    """The keys ``process`` depends on, and the problems (refusals, warnings) of its calls.

    ``known``: the keys of the input's processes and of the called ones the store holds (a
    call mapped by ``bpmn.processes`` to an input process's key is resolved by that key)."""
    key = keys.of[process.ref]
    needs = [keys.of[s] for s in process.subprocesses]
    problems: list[Problem] = []
    for call in process.calls:
        target = targets.target(process, call)
        if target.key == key:
            problems.append(
                Problem(
                    process.ref.file,
                    "a process does not depend on itself",
                    f"call activity {call.id} calls its own process {call.called}; left out",
                    node=call.id,
                    property="calledElement",
                    value=call.called,
                )
            )
        elif target.in_input or target.key in known:
            needs.append(target.key)
        else:
            problems.append(
                Problem(
                    process.ref.file,
                    UNRESOLVED_RULE,
                    f"call activity {call.id} of {process.ref.id} calls {call.called}, which "
                    f"is neither in the recipe's models nor a process in the store"
                    f"{target.note}; the dependency on {target.key} is left out until that "
                    "process is synced (then sync this recipe again)",
                    node=call.id,
                    property="calledElement",
                    value=call.called,
                    severity="Warning",
                )
            )
    return needs, problems


def map_process(
    process: BpmnProcess, key: str, needs: list[str], keys: Keys, ids: Identifiers
) -> Graph:
    """One process as triples. Pure."""
    node = ids.iri(key)
    graph = Graph()
    graph.add((node, RDF.type, JKG.BackofficeProcess))
    graph.add((node, RDFS.label, Literal(process.name or process.ref.id, lang=process.language)))
    for target in dict.fromkeys(needs):
        graph.add((node, JKG.dependsOn, ids.iri(target)))
    for lane in process.lanes:
        graph.add((node, JKG.performedBy, ids.iri(keys.role(lane))))
    return graph


def map_role(lane_name: str, language: str, keys: Keys, ids: Identifiers) -> tuple[str, Graph]:
    """A lane's role as triples: (key, graph). Pure."""
    key = keys.role(lane_name)
    node = ids.iri(key)
    graph = Graph()
    graph.add((node, RDF.type, JKG.Role))
    graph.add((node, RDFS.label, Literal(lane_name, lang=language)))
    return key, graph


class BpmnSource(RecipeSource):
    """BPMN 2.0 files as processes and roles."""

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config = recipe.section(BpmnConfig) or BpmnConfig()
        self.stored: StoredProcesses | None = None

    def look_up_in(self, store: Store) -> None:
        """Resolve calls the recipe's models do not hold against the processes ``store`` has."""
        ids = self.ids

        def stored(keys: set[str]) -> set[str]:
            described = store.describe([ids.iri(k) for k in keys])
            return {k for k in keys if (ids.iri(k), RDF.type, JKG.BackofficeProcess) in described}

        self.stored = stored

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """One record per process and per role (the bookmark is ignored)."""
        model = BpmnModel()
        for file in input_files(self.recipe, self.payload, self.recipe_dir):
            parse_bpmn(file, model, self.config.language)
        if not model.processes and not model.rejected:
            problems = model.empty_problems("Violation")
            raise SourceError(
                f"the BPMN models of recipe {self.name} hold no process: nothing to sync",
                problems,
            )
        keys = Keys(self.config, model)
        targets = CallTargets(model, keys.of, self.config.process_prefix, self.config.processes)
        records, rejected, warnings = self._process_records(model, keys, targets)
        self._add_roles(model, keys, records)
        for number, batch in enumerate(
            batches(
                [records[k] for k in sorted(records)],
                self.recipe.batch_size,
                rejected=rejected,
                unmapped={},
                read=model.read,
                bookmark=None,
            )
        ):
            if number == 0:  # the first batch carries what the whole read found
                batch.warnings = warnings
            yield batch

    def _process_records(
        self, model: BpmnModel, keys: Keys, targets: CallTargets
    ) -> tuple[dict[str, MappedRecord], list[Problem], list[Problem]]:
        """A record per process, by key; the refused elements and calls; the warnings."""
        records: dict[str, MappedRecord] = {}
        rejected = list(model.rejected)
        warnings = [*model.warnings, *model.empty_problems("Warning")]
        delivered = set(keys.of.values())
        known = delivered | self._stored(
            {
                target.key
                for process in model.processes.values()
                for target in (targets.target(process, call) for call in process.calls)
                if not target.in_input and target.key not in delivered
            }
        )
        for process in model.processes.values():
            key = keys.of[process.ref]
            needs, problems = dependencies(process, keys, targets, known)
            rejected += [p for p in problems if p.severity == "Violation"]
            warnings += [p for p in problems if p.severity != "Violation"]
            if key in records:
                rejected.append(
                    Problem(
                        process.ref.file,
                        "process keys are unique",
                        f"{process.ref.id} gets key {key} (bpmn.processes), which "
                        f"{records[key].origin} already has; skipped",
                        node=process.ref.id,
                    )
                )
                continue
            graph = map_process(process, key, needs, keys, self.ids)
            records[key] = MappedRecord(self.name, key, str(process.ref), graph)
        return records, rejected, warnings

    def _add_roles(self, model: BpmnModel, keys: Keys, records: dict[str, MappedRecord]) -> None:
        """A record per role (a lane name), unless a process or another name has its key."""
        for lane_name, (lane_file, language) in model.roles.items():
            key, graph = map_role(lane_name, language, keys, self.ids)
            if key in records:  # two lane names with one role key: the first name labels it
                continue
            records[key] = MappedRecord(self.name, key, f"{lane_file}#lane {lane_name}", graph)

    def _stored(self, keys: set[str]) -> set[str]:
        """Those of ``keys`` (of calls the models do not resolve) the store holds as processes."""
        if not keys or self.stored is None:
            return set()
        return self.stored(keys)


KIND = SourceKind(name="bpmn", open=BpmnSource, section="bpmn", config=BpmnConfig)
