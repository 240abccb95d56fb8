"""Keys of BPMN processes and roles: derived from the model's ids, free of collisions, stable.

- A process, sub-process or global task is keyed ``{process_prefix}{slug}``, the
  slug of its id (or, with ``key_from: name``, of its name): ``Process_1`` ->
  ``process/process-1``, ``SubProcess_1`` -> ``process/subprocess-1``,
  ``sid-7C1D2E3F`` -> ``process/sid-7c1d2e3f``. Nothing is cut from the id: cutting
  the generated ``Process_`` prefix gave ``Process_1`` and ``SubProcess_1`` one key.
- ``bpmn.processes`` maps an id to a key of the recipe's choosing (to meet keys
  that exist already); a mapped key is never given to another element.
- When two elements of the input would get one key (one id in two files, ids
  that differ only in case or punctuation, two equal names), each of them is
  qualified by its file: ``process/<slug of the file name>/<slug>``; if that still
  collides, the key ends in ``-`` and 8 hex digits of the SHA-256 of file and id.

A key depends on the input only, never on the order of reading or on the store:
an unchanged model syncs to the same keys, so a re-sync writes nothing.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

from journeykg.loaders.sources.bpmn_model import BpmnProcess, Ref

_FILE_SUFFIX = re.compile(r"\.(bpmn2?|xml)$", re.IGNORECASE)


def slug(text: str) -> str:
    """``Kredietcheck uitvoeren`` -> ``kredietcheck-uitvoeren``."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "unnamed"


def derive_keys(
    processes: Mapping[Ref, BpmnProcess],
    *,
    prefix: str,
    by_name: bool,
    mapped: Mapping[str, str],
) -> dict[Ref, str]:
    """The key of every process of the input (see the module's docstring)."""
    keys = {ref: mapped[ref.id] for ref in processes if ref.id in mapped}
    basis = {
        ref: slug(process.name if by_name and process.name else ref.id)
        for ref, process in processes.items()
        if ref not in keys
    }
    taken = set(mapped.values())
    plain = _unique(basis, lambda ref: prefix + basis[ref], taken)
    keys.update(plain)
    rest = [ref for ref in basis if ref not in plain]
    qualified = _unique(rest, lambda ref: f"{prefix}{_file_slug(ref.file)}/{basis[ref]}", taken)
    keys.update(qualified)
    for ref in rest:
        if ref not in qualified:
            digest = hashlib.sha256(f"{ref.file}#{ref.id}".encode()).hexdigest()[:8]
            keys[ref] = f"{prefix}{_file_slug(ref.file)}/{basis[ref]}-{digest}"
    return keys


def _unique(refs: Iterable[Ref], key_of: Callable[[Ref], str], taken: set[str]) -> dict[Ref, str]:
    """The refs whose key (``key_of``) no other ref and no taken key has; adds them to taken."""
    by_key: dict[str, list[Ref]] = defaultdict(list)
    for ref in refs:
        by_key[key_of(ref)].append(ref)
    unique = {
        found[0]: key for key, found in by_key.items() if len(found) == 1 and key not in taken
    }
    taken.update(by_key)
    return unique


def _file_slug(file: str) -> str:
    return slug(_FILE_SUFFIX.sub("", file))
