"""A delta's rows as the CSV files of Neo4j's import tool (``neo4j-admin database import full``).

The same nodes, labels, properties and relationships :meth:`Neo4jStore.apply`
writes (:meth:`PropertyGraphMapping.rows_counted` makes both), in the
tool's header format (Neo4j's operations manual, "Import", "CSV header
format"):

- one node file per combination of labels and property types, since a
  header gives each column one type: ``iri:ID`` (stored as the ``iri``
  property, and the id the relationship files name), ``key``, ``:LABEL``,
  then ``name:type`` per property (``string``, ``long``, ``double``,
  ``boolean``, or the same with ``[]`` for a list);
- one file for the nodes edges point at that are no subject of the delta,
  which the transactional write makes with their ``iri`` and ``key`` only;
- one relationship file per type: ``:START_ID,:END_ID``.

Every field is quoted (RFC 4180, a quote doubled), so a value may hold the
delimiter or quotes; the files in which some value holds a line break are
named in :attr:`ImportFiles.multiline`, since the tool reads those slower
(its ``--multiline-fields``). A list's values are joined by
:data:`ARRAY_DELIMITER`, a control character; a value holding it, a list
mixing types (Neo4j stores neither) or a number the tool cannot read is
refused by :class:`ImportValueError`, naming the element, the property and
the rule, before anything is written or stopped.

Written by hand, not by the :mod:`csv` module alone: the header's types and
the list fields are the import tool's conventions, which no library here
writes.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeykg.graph.errors import StoreError
from journeykg.graph.property_graph import RESOURCE_LABEL, NodeRow

#: Joins the values of a list in one field: a control character no text of an
#: organisation holds (refused if one does). Given to the tool as ``U+001F``.
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
_KINDS = {bool: "boolean", int: "long", float: "double", str: "string"}


class ImportValueError(StoreError):
    """A value the import tool cannot take as the transactional write would store it."""


@dataclass
class ImportFiles:
    """The files of one import, and what they hold."""

    nodes: list[Path] = field(default_factory=list)
    relationships: dict[str, Path] = field(default_factory=dict)
    """Per relationship type, its file."""
    multiline: list[Path] = field(default_factory=list)
    """The files in which some field holds a line break."""
    node_count: int = 0
    relationship_count: int = 0


def _kind(element: str, name: str, value: Any) -> str:
    if isinstance(value, list):
        kinds = {type(v) for v in value}
        if len(kinds) != 1:
            raise ImportValueError(
                f"{element}: property {name!r} lists values of types "
                f"{sorted(k.__name__ for k in kinds)}; a Neo4j list holds one type"
            )
        return _KINDS[kinds.pop()] + "[]"
    return _KINDS[type(value)]


def _number(value: float) -> str:
    # Java's Double.parseDouble, which the tool uses, reads NaN and Infinity, not nan and inf.
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _field(element: str, name: str, value: Any) -> str:
    if isinstance(value, list):
        parts = [_field(element, name, v) for v in value]
        if any(ARRAY_DELIMITER in part for part in parts):
            raise ImportValueError(
                f"{element}: a value of property {name!r} holds the control character "
                "U+001F, which the offline import uses between a list's values; "
                "load this file with `journeykg load` (without --offline-import)"
            )
        return ARRAY_DELIMITER.join(parts)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _breaks(fields: Iterable[str]) -> bool:
    return any("\n" in f or "\r" in f for f in fields)


def write_import_files(
    rows: list[NodeRow], key_of: Callable[[str], str], directory: Path
) -> ImportFiles:
    """Write ``rows`` as the import tool's files into ``directory`` (which must exist)."""
    files = ImportFiles()
    groups: dict[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], list[NodeRow]]
    groups = defaultdict(list)
    subjects: set[str] = set()
    for row in rows:
        subjects.add(row.iri)
        signature = tuple(
            sorted((name, _kind(row.iri, name, v)) for name, v in row.properties.items())
        )
        groups[(tuple(sorted(row.labels - {RESOURCE_LABEL})), signature)].append(row)
    for number, ((labels, signature), members) in enumerate(sorted(groups.items())):
        path = directory / f"nodes-{number}.csv"
        broken = False
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(
                ["iri:ID", "key", ":LABEL", *(f"{name}:{kind}" for name, kind in signature)]
            )
            # The tool splits :LABEL on the array delimiter too.
            label_field = ARRAY_DELIMITER.join([RESOURCE_LABEL, *labels])
            names = [name for name, _ in signature]
            for row in members:
                values = [_field(row.iri, n, row.properties[n]) for n in names]
                broken = broken or _breaks(values)
                writer.writerow([row.iri, row.key, label_field, *values])
        files.nodes.append(path)
        if broken:
            files.multiline.append(path)
        files.node_count += len(members)
    edges: dict[str, list[tuple[str, str]]] = defaultdict(list)
    targets: set[str] = set()
    for row in rows:
        for rel_type, ends in row.relationships.items():
            edges[rel_type].extend((row.iri, end) for end in ends)
            targets.update(ends)
    unmade = sorted(targets - subjects)
    if unmade:
        path = directory / "nodes-targets.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(["iri:ID", "key", ":LABEL"])
            writer.writerows([iri, key_of(iri), RESOURCE_LABEL] for iri in unmade)
        files.nodes.append(path)
        files.node_count += len(unmade)
    for number, (rel_type, pairs) in enumerate(sorted(edges.items())):
        path = directory / f"relationships-{number}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow([":START_ID", ":END_ID"])
            writer.writerows(pairs)
        files.relationships[rel_type] = path
        files.relationship_count += len(pairs)
    return files
