"""The quarantine: records a sync refused, one JSON line each, ready to repair and replay.

Each line holds the record's upsert key, where it came from, why it was
refused, and its triples in N-Triples (a line, pretty-printed)::

    {"source": "salesforce", "external_id": "R12|phone|2025",
     "origin": "cases.json#records[14]",
     "run": "run/sync-salesforce-20261123T180000000000Z",
     "problems": [{"file": "cases.json#records[14]", "node": "volume/salesforce/R12...",
                   "property": "jkg:contacts",
                   "rule": "jkgsh:ContactVolume-contacts (MinInclusiveConstraintComponent)",
                   "message": "...", "severity": "Violation", "line": null, "value": "-3"}],
     "triples": "<https://...> <https://...#contacts> \\"-3\\"^^<...#integer> .\\n..."}

A record the source could not map at all has ``external_id`` null (unless
the source named it) and empty ``triples``. :class:`QuarantineSource` reads
a (repaired) quarantine file back as a source, so a replay goes through the
same gate, keys and provenance as the original sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from rdflib import Graph

from journeykg.loaders.personal_data import scrubbed
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.validation.problems import ParseError, Problem


def problem_json(problem: Problem) -> dict[str, Any]:
    """A problem as plain JSON (the same fields as :class:`Problem`), with anything shaped
    like personal data scrubbed (:func:`~journeykg.loaders.personal_data.scrub`)."""
    return asdict(scrubbed(problem))


def ntriples(graph: Graph) -> str:
    """The graph in N-Triples, lines sorted so that equal records give equal text."""
    text = graph.serialize(format="nt")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))


class QuarantineWriter:
    """Appends one JSON line per refused record; the file is started afresh by each run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = path.open("w", encoding="utf-8")

    def write(
        self,
        *,
        source: str,
        external_id: str | None,
        origin: str,
        run: str | None,
        problems: list[Problem],
        graph: Graph | None,
    ) -> None:
        line = {
            "source": source,
            "external_id": external_id,
            "origin": origin,
            "run": run,
            "problems": [problem_json(p) for p in problems],
            "triples": ntriples(graph) if graph is not None else "",
        }
        self._file.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        self._file.flush()
        self.count += 1

    def close(self) -> None:
        self._file.close()


class QuarantineSource:
    """A quarantine file as a :class:`~journeykg.loaders.source.Source`: replay repaired records.

    Lines without triples (records that could not be mapped) cannot be
    replayed and come back as rejections. Replays are partial syncs: run
    them with mode ``incremental`` so that nothing else is retired.
    """

    incremental = False

    def __init__(self, path: Path, batch_size: int = 1_000) -> None:
        self.path = path
        self.batch_size = batch_size
        self.name = self._source_name()

    def _source_name(self) -> str:
        names = {str(json.loads(line)["source"]) for line in self._lines()}
        if len(names) != 1:
            raise ParseError(
                f"{self.path} must hold the records of exactly one source",
                [Problem(str(self.path), "one source per quarantine", f"found {sorted(names)}")],
            )
        return names.pop()

    def _lines(self) -> Iterator[str]:
        with self.path.open(encoding="utf-8") as handle:
            yield from (line for line in handle if line.strip())

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        batch = SourceBatch()
        for number, line in enumerate(self._lines(), start=1):
            entry = json.loads(line)
            origin = f"{self.path.name}:{number}"
            batch.read += 1
            if not entry["triples"] or entry["external_id"] is None:
                batch.rejected.append(
                    Problem(origin, "replayable record", "the record has no key or no triples")
                )
            else:
                graph = Graph().parse(data=entry["triples"], format="nt")
                batch.records.append(
                    MappedRecord(entry["source"], entry["external_id"], origin, graph)
                )
            if batch.read >= self.batch_size:
                yield batch
                batch = SourceBatch()
        if batch.read:
            yield batch
