"""Where a BPMN call activity leads: a process of the recipe, one in the store, or nowhere yet.

``calledElement`` is an id, or a QName (``ns1:Process_2``) whose prefix the
file binds to a namespace: its own (``targetNamespace``) or that of a model it
imports. The called element is looked for

1. among the processes and global tasks of the recipe's models: in the
   caller's file, else (unprefixed) in the one other file that has that id,
   else (prefixed) in the file whose ``targetNamespace`` the prefix names;
2. else it is a key, ``bpmn.processes`` or the key its id would get
   (:mod:`.bpmn_keys`), which counts when the store holds a process with it;
3. else the call is unresolved: the caller is written without that
   dependency and the report warns (the next sync, once the called process is
   in the store, adds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from journeykg.loaders.sources.bpmn_keys import slug
from journeykg.loaders.sources.bpmn_model import BpmnModel, BpmnProcess, Call, Ref

#: The rule of the warning on a call that leads nowhere yet.
UNRESOLVED_RULE = "called element is in the recipe's models or the store"


@dataclass(frozen=True)
class Target:
    """Where a call leads: a key, whether the input has it, and a note for a warning."""

    key: str
    in_input: bool
    note: str = ""


class CallTargets:
    """Finds the target of each call activity of a model whose keys are known."""

    def __init__(
        self, model: BpmnModel, keys: dict[Ref, str], prefix: str, mapped: dict[str, str]
    ) -> None:
        self.model = model
        self.keys = keys
        self.prefix = prefix
        self.mapped = mapped

    def target(self, caller: BpmnProcess, call: Call) -> Target:
        """The target of ``call`` in ``caller``."""
        qualifier, _, local = call.called.rpartition(":")
        files, note = self._files(caller.ref.file, qualifier, local)
        for file in files:
            found = Ref(file, local)
            if found in self.keys:
                return Target(self.keys[found], True)
        key = self.mapped.get(call.called) or self.mapped.get(local) or self.prefix + slug(local)
        return Target(key, False, note)

    def _files(self, file: str, qualifier: str, local: str) -> tuple[list[str], str]:
        """The files to look in for ``local``, and a note on why there are none."""
        here = self.model.files[file]
        if not qualifier:
            if Ref(file, local) in self.model.processes:
                return [file], ""
            elsewhere = [p.ref.file for p in self.model.by_id(local)]
            if len(elsewhere) > 1:
                return [], f" (the files {', '.join(elsewhere)} all have an element {local})"
            return elsewhere, ""
        namespace = here.prefixes.get(qualifier)
        if namespace is None:
            return [], f" (the prefix {qualifier} is not declared in {file})"
        if namespace == here.target_namespace:
            return [file], ""
        files = [f.name for f in self.model.files.values() if f.target_namespace == namespace]
        if files:
            return files, ""
        location = here.imports.get(namespace)
        where = f"imported from {location}" if location else "not imported"
        return [], f" (namespace {namespace}, {where}, is not among the recipe's models)"
