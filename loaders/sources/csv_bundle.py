"""A CSV bundle: one CSV file per kind of element, for teams that keep their maps in spreadsheets.

The format (files, columns, types, references) is documented in
docs/csv-bundle.md, with an example bundle in examples/csv-bundle/. In short:
every file is named after its kind (``journeys.csv``), its first row holds
column names, every row is one element whose ``id`` (a slug) becomes the key
``<kind>/<id>`` (``journey/verhuizen``). A reference is a bare id of an
element of the bundle (``verhuizen``) or the key or IRI of one outside it
(``reason/nummer-meenemen``); lists are separated by ``;``.

Every row becomes one :class:`MappedRecord` (external id = its key), except
``dependencies.csv``, whose rows are folded into the record of their process
(so that one record states all of a process's ``jkg:dependsOn``). Wrong types,
missing required values or columns, unknown columns and references to ids the
bundle does not define are :class:`Problem` s naming the file, line, column and
rule; the other rows go on.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath

from pydantic import Field
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.ids import Identifiers
from journeykg.loaders.personal_data import shown_value
from journeykg.loaders.recipe_model import Recipe, StrictConfig
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources._common import (
    ENCODING_HINT,
    InputFile,
    RecipeSource,
    SourceError,
    batches,
    day,
    decimal,
    decode,
    input_files,
    integer,
    year,
)
from journeykg.namespaces import JKG, ORG, RDF, RDFS
from journeykg.validation.problems import Problem

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: Owner roles as written in owners.csv.
OWNER_ROLES = {
    "journey-owner": JKG.JourneyOwner,
    "kpi-owner": JKG.KPIOwner,
    "insight-owner": JKG.InsightOwner,
    "process-owner": JKG.ProcessOwner,
}
KPI_TYPES = {"NPS": JKG.NPS, "CES": JKG.CES, "CSAT": JKG.CSAT, "FCR": JKG.FCR}
#: Zipped bundles (a POSTed payload) are refused past these sizes.
MAX_ZIP_MEMBERS = 100
MAX_ZIP_BYTES = 64 * 1024 * 1024


class CsvBundleConfig(StrictConfig):
    """Options of a CSV bundle (docs/csv-bundle.md)."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    list_separator: str = Field(default=";", min_length=1, max_length=1)


@dataclass(frozen=True)
class Column:
    """One column of a bundle file: its type, whether it is required, and its predicate."""

    name: str
    type: str
    """``text``, ``ref``, ``refs``, ``key`` (a key of any kind), ``int``, ``decimal``, ``bool``,
    ``year``, ``date``, ``owner-roles``, ``kpi-type``."""
    predicate: URIRef | None = None
    required: bool = False
    kind: str | None = None
    """For references: the kind (file) a bare id refers to."""
    lang: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None


def _labels() -> list[Column]:
    return [
        Column("label_nl", "text", RDFS.label, required=True, lang="nl"),
        Column("label_en", "text", RDFS.label, lang="en"),
    ]


@dataclass(frozen=True)
class FileSpec:
    """One kind of file in the bundle."""

    kind: str
    """The key prefix of its elements (``journey``)."""
    rdf_type: URIRef
    columns: list[Column]

    @property
    def required(self) -> list[str]:
        """The columns the header must have."""
        return ["id", *(c.name for c in self.columns if c.required)]


def _n(value: str) -> Decimal:
    return Decimal(value)


SPECS: dict[str, FileSpec] = {
    "channels": FileSpec("channel", JKG.Channel, _labels()),
    "personas": FileSpec("persona", JKG.Persona, _labels()),
    "units": FileSpec("unit", ORG.OrganizationalUnit, _labels()),
    "owners": FileSpec(
        "owner",
        JKG.Owner,
        [
            *_labels(),
            Column("roles", "owner-roles", JKG.ownerRole, required=True),
            Column("unit", "ref", ORG.postIn, kind="unit"),
        ],
    ),
    "journeys": FileSpec(
        "journey",
        JKG.Journey,
        [
            *_labels(),
            Column("reasons", "refs", JKG.placedOn, required=True, kind="reason"),
            Column("owners", "refs", JKG.ownedBy, required=True, kind="owner"),
            Column("personas", "refs", JKG.forPersona, kind="persona"),
        ],
    ),
    "steps": FileSpec(
        "step",
        JKG.Step,
        [
            *_labels(),
            Column("journey", "ref", JKG.stepOf, required=True, kind="journey"),
            Column("sequence", "int", JKG.sequence, required=True, low=_n("1")),
        ],
    ),
    "touchpoints": FileSpec(
        "touchpoint",
        JKG.Touchpoint,
        [
            *_labels(),
            Column("step", "ref", JKG.atStep, required=True, kind="step"),
            Column("channel", "ref", JKG.viaChannel, required=True, kind="channel"),
            Column("processes", "refs", JKG.supportedBy, kind="process"),
            Column("moment_of_truth", "bool", JKG.momentOfTruth),
            Column("emotion_score", "int", JKG.emotionScore, low=_n("-2"), high=_n("2")),
        ],
    ),
    "processes": FileSpec(
        "process",
        JKG.BackofficeProcess,
        [
            *_labels(),
            Column("owners", "refs", JKG.ownedBy, kind="owner"),
            Column("roles", "refs", JKG.performedBy, kind="role"),
            Column("systems", "refs", JKG.usesSystem, kind="system"),
        ],
    ),
    "systems": FileSpec("system", JKG.ITSystem, _labels()),
    "roles": FileSpec("role", JKG.Role, _labels()),
    "costs": FileSpec(
        "cost",
        JKG.Cost,
        [
            *_labels(),
            Column("element", "key", JKG.costOf, required=True),
            Column("period", "year", JKG.period, required=True),
            Column("amount_eur", "decimal", JKG.amountEur, required=True, low=_n("0")),
        ],
    ),
    "volumes": FileSpec(
        "volume",
        JKG.ContactVolume,
        [
            *_labels(),
            Column("reason", "ref", JKG.volumeOf, required=True, kind="reason"),
            Column("channel", "ref", JKG.viaChannel, kind="channel"),
            Column("period", "year", JKG.period, required=True),
            Column("contacts", "int", JKG.contacts, required=True, low=_n("0")),
            Column("complaints", "int", JKG.complaints, low=_n("0")),
            Column("escalations", "int", JKG.escalations, low=_n("0")),
            Column("fcr", "decimal", JKG.firstContactResolution, low=_n("0"), high=_n("1")),
        ],
    ),
    "kpis": FileSpec(
        "kpi",
        JKG.KPI,
        [
            *_labels(),
            Column("type", "kpi-type", JKG.kpiType, required=True),
            Column("measures", "key", JKG.measures, required=True),
            Column("baseline", "decimal", JKG.baseline),
            Column("target", "decimal", JKG.target, required=True),
            Column("owners", "refs", JKG.ownedBy, kind="owner"),
        ],
    ),
    "kpi-values": FileSpec(
        "kpi-value",
        JKG.KPIValue,
        [
            *_labels(),
            Column("kpi", "ref", JKG.valueOf, required=True, kind="kpi"),
            Column("period_start", "date", JKG.periodStart, required=True),
            Column("period_end", "date", JKG.periodEnd),
            Column("value", "decimal", JKG.value, required=True),
            Column("responses", "int", JKG.responses, low=_n("1")),
        ],
    ),
}
DEPENDENCIES = "dependencies"
#: The governed lifecycle framework: never synced, referred to by key (``reason/<id>``).
GOVERNED = {"stages": "stage", "phases": "phase", "reasons": "reason"}
DEPENDENCY_COLUMNS = ("process", "depends_on")
KIND_OF_PREFIX = {spec.kind: stem for stem, spec in SPECS.items()}


@dataclass
class Row:
    """A row of a bundle file, with where it was read."""

    file: str
    line: int
    cells: dict[str, str]


@dataclass
class Bundle:
    """The rows of every file of the bundle, by kind (file stem)."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)
    """Kinds whose file was refused as a whole (references to them are not checked)."""
    read: int = 0


def read_bundle(files: list[InputFile], config: CsvBundleConfig) -> Bundle:
    """Parse every file of the bundle into rows; problems for files that cannot be used."""
    bundle = Bundle()
    for file in files:
        # A ZIP member is named "<payload> of POST /sync/NAME!channels.csv": its own name counts.
        stem = PurePosixPath(file.name.rsplit("!", 1)[-1].replace("\\", "/")).stem
        if stem in GOVERNED:
            bundle.problems.append(
                Problem(
                    file.name,
                    "the lifecycle framework is governed",
                    f"{stem}.csv is not read: stages, phases and contact reasons change only "
                    "through the governance workflow (or `journeykg load`), never by a sync; "
                    f"refer to them by key, e.g. {GOVERNED[stem]}/<id>",
                )
            )
            continue
        if stem not in SPECS and stem != DEPENDENCIES:
            bundle.problems.append(
                Problem(
                    file.name,
                    "bundle file is named after a kind",
                    f"unknown file {stem}.csv; expected one of "
                    + ", ".join(f"{s}.csv" for s in [*SPECS, DEPENDENCIES]),
                )
            )
            continue
        if stem in bundle.rows:
            bundle.problems.append(
                Problem(file.name, "one file per kind", f"a second {stem}.csv is skipped")
            )
            continue
        known = ["id", *(c.name for c in SPECS[stem].columns)] if stem in SPECS else []
        required = SPECS[stem].required if stem in SPECS else list(DEPENDENCY_COLUMNS)
        known = known or list(DEPENDENCY_COLUMNS)
        reader = csv.reader(
            io.StringIO(decode(file, config.encoding, hint=ENCODING_HINT), newline=""),
            delimiter=config.delimiter,
        )
        try:
            header = [h.strip() for h in next(reader, [])]
            missing = [c for c in required if c not in header]
            for column in missing:
                bundle.problems.append(
                    Problem(
                        file.name,
                        "required column",
                        f"{stem}.csv needs a column {column!r}; the file is skipped",
                        line=1,
                        property=column,
                    )
                )
            for column in header:
                if column not in known and not column.startswith("#"):
                    bundle.problems.append(
                        Problem(
                            file.name,
                            "known column",
                            f"unknown column {column!r} is ignored (known: {', '.join(known)}; "
                            "start a column name with # for notes)",
                            line=1,
                            property=column,
                        )
                    )
            if missing:
                bundle.skipped.add(stem)
                bundle.rows[stem] = []
                continue
            rows: list[Row] = []
            while True:
                line = reader.line_num + 1  # where the row starts (a cell may span lines)
                cells = next(reader, None)
                if cells is None:
                    break
                if not any(c.strip() for c in cells):
                    continue
                bundle.read += 1
                if len(cells) > len(header):
                    bundle.problems.append(
                        Problem(
                            file.name,
                            "row has as many fields as the header",
                            f"the row has {len(cells)} fields, the header {len(header)}",
                            line=line,
                        )
                    )
                    continue
                values = {
                    h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)
                }
                rows.append(Row(file.name, line, values))
            bundle.rows[stem] = rows
        except csv.Error as exc:
            raise SourceError(
                f"{file.name} is not valid CSV",
                [Problem(file.name, "CSV syntax", str(exc), line=reader.line_num)],
            ) from None
    return bundle


class Mapper:
    """Maps the rows of a bundle to records; pure apart from the problems it collects."""

    def __init__(self, bundle: Bundle, ids: Identifiers, source: str, separator: str) -> None:
        self.bundle = bundle
        self.ids = ids
        self.source = source
        self.separator = separator
        self.problems: list[Problem] = []
        self.defined: dict[str, set[str]] = {
            stem: {r.cells.get("id", "") for r in rows} for stem, rows in bundle.rows.items()
        }

    def records(self) -> list[MappedRecord]:
        """Every element of the bundle as a record, in key order."""
        records: dict[str, MappedRecord] = {}
        for stem, spec in SPECS.items():
            for row in self.bundle.rows.get(stem, []):
                mapped = self.map_row(spec, row)
                if mapped is None:
                    continue
                key, graph = mapped
                if key in records:
                    self._problem(row, "id", "unique id", f"id is used twice in {stem}.csv")
                    continue
                records[key] = MappedRecord(self.source, key, f"{row.file}:{row.line}", graph)
        for row in self.bundle.rows.get(DEPENDENCIES, []):
            self._dependency(row, records)
        return [records[k] for k in sorted(records)]

    def map_row(self, spec: FileSpec, row: Row) -> tuple[str, Graph] | None:
        """One row as (key, triples), or None with problems if a value is wrong."""
        ident = row.cells.get("id", "")
        if not ID_PATTERN.match(ident):
            self._problem(
                row, "id", "id is a slug", "id must be letters, digits, '.', '_' or '-'", ident
            )
            return None
        key = f"{spec.kind}/{ident}"
        node = self.ids.iri(key)
        graph = Graph()
        graph.add((node, RDF.type, spec.rdf_type))
        ok = True
        for column in spec.columns:
            text = row.cells.get(column.name, "")
            if text == "":
                if column.required:
                    self._problem(row, column.name, "required value", "this value is required")
                    ok = False
                continue
            values = self.convert(column, text, row)
            if values is None:
                ok = False
                continue
            for value in values:
                if column.predicate is not None:
                    graph.add((node, column.predicate, value))
        if spec.rdf_type == JKG.KPIValue and ok:
            start = graph.value(node, JKG.periodStart)
            if isinstance(start, Literal):
                graph.add((node, JKG.period, year(int(str(start)[:4]))))
        return (key, graph) if ok else None

    def convert(self, column: Column, text: str, row: Row) -> list[Node] | None:
        """The column's value(s) as RDF terms, or None (with a problem) if it is wrong."""
        converters: dict[str, Callable[[str], list[Node] | str]] = {
            "text": lambda t: [Literal(t, lang=column.lang) if column.lang else Literal(t)],
            "ref": lambda t: self._refs(column, [t]),
            "refs": lambda t: self._refs(column, self._split(t)),
            "key": self._key,
            "int": lambda t: self._number(column, t, integral=True),
            "decimal": lambda t: self._number(column, t, integral=False),
            "bool": _boolean,
            "year": _year,
            "date": _date,
            "owner-roles": self._owner_roles,
            "kpi-type": self._kpi_type,
        }
        result = converters[column.type](text)
        if isinstance(result, str):  # the rule that was broken
            shown = shown_value(text)  # never a phrase that could be a name (personal_data.py)
            self._problem(row, column.name, result, f"{shown!r} is not {result}", shown)
            return None
        return result

    def _split(self, text: str) -> list[str]:
        return [part.strip() for part in text.split(self.separator) if part.strip()]

    def _refs(self, column: Column, values: list[str]) -> list[Node] | str:
        assert column.kind is not None
        stem = KIND_OF_PREFIX.get(column.kind)
        nodes: list[Node] = []
        for value in values:
            if "/" in value or ":" in value:
                nodes.append(self.ids.iri(value))
            elif stem is None:
                return f"a key of the lifecycle framework, such as {column.kind}/<id>"
            elif stem in self.bundle.skipped or value in self.defined.get(stem, set()):
                nodes.append(self.ids.iri(f"{column.kind}/{value}"))
            else:
                return f"an id defined in {stem}.csv (or a key such as {column.kind}/<id>)"
        return nodes

    def _key(self, text: str) -> list[Node] | str:
        if "/" not in text and ":" not in text:
            return "a key with its kind, such as process/facturatie or journey/verhuizen"
        prefix, _, ident = text.partition("/")
        stem = KIND_OF_PREFIX.get(prefix)
        if (
            stem in SPECS
            and stem not in self.bundle.skipped
            and ident
            and (ident not in self.defined.get(stem, set()))
            and self.bundle.rows.get(stem)
        ):
            # the bundle has that kind's file, and this id is not in it: most likely a typo
            return f"an id defined in {stem}.csv"
        return [self.ids.iri(text)]

    @staticmethod
    def _number(column: Column, text: str, *, integral: bool) -> list[Node] | str:
        try:
            number = Decimal(text.replace(",", ".") if not integral else text)
        except InvalidOperation:
            return "a whole number" if integral else "a decimal number (e.g. 12.5)"
        if not number.is_finite() or (integral and number != number.to_integral_value()):
            return "a whole number" if integral else "a decimal number (e.g. 12.5)"
        if (column.low is not None and number < column.low) or (
            column.high is not None and number > column.high
        ):
            low = "" if column.low is None else f" from {column.low}"
            high = "" if column.high is None else f" up to {column.high}"
            return f"a number{low}{high}"
        return [integer(int(number))] if integral else [decimal(number, 6)]

    def _owner_roles(self, text: str) -> list[Node] | str:
        roles = self._split(text)
        if not roles or any(r not in OWNER_ROLES for r in roles):
            return "a list of " + ", ".join(OWNER_ROLES)
        return [OWNER_ROLES[r] for r in roles]

    def _kpi_type(self, text: str) -> list[Node] | str:
        if text.upper() in KPI_TYPES:
            return [KPI_TYPES[text.upper()]]
        if ":" in text or "/" in text:
            return [self.ids.iri(text)]
        return "one of " + ", ".join(KPI_TYPES) + " (or the key of a KPI type)"

    def _dependency(self, row: Row, records: dict[str, MappedRecord]) -> None:
        process, needs = row.cells.get("process", ""), row.cells.get("depends_on", "")
        if not process or not needs:
            column = "process" if not process else "depends_on"
            self._problem(row, column, "required value", "this value is required")
            return
        key = process if "/" in process else f"process/{process}"
        record = records.get(key)
        if record is None:
            self._problem(
                row,
                "process",
                "an id defined in processes.csv",
                f"{shown_value(process)!r} is not a process of this bundle: a dependency is "
                "stated with the process that needs it",
                shown_value(process),
            )
            return
        targets = self._refs(Column("depends_on", "ref", kind="process"), [needs])
        if isinstance(targets, str):
            shown = shown_value(needs)
            self._problem(row, "depends_on", targets, f"{shown!r} is not {targets}", shown)
            return
        if targets[0] == self.ids.iri(key):
            self._problem(
                row, "depends_on", "a process does not depend on itself", "self-dependency", needs
            )
            return
        record.graph.add((self.ids.iri(key), JKG.dependsOn, targets[0]))

    def _problem(
        self, row: Row, column: str, rule: str, message: str, value: str | None = None
    ) -> None:
        self.problems.append(
            Problem(
                row.file,
                rule,
                f"line {row.line}: {message}",
                line=row.line,
                node=row.cells.get("id") or None,
                property=column,
                value=value,
            )
        )


def _boolean(text: str) -> list[Node] | str:
    lowered = text.lower()
    if lowered in ("true", "ja", "yes", "1", "waar"):
        return [Literal(True)]
    if lowered in ("false", "nee", "no", "0", "onwaar"):
        return [Literal(False)]
    return "true or false"


def _year(text: str) -> list[Node] | str:
    if re.fullmatch(r"\d{4}", text):
        return [year(int(text))]
    return "a year such as 2025"


def _date(text: str) -> list[Node] | str:
    try:
        return [day(date.fromisoformat(text))]
    except ValueError:
        return "a date such as 2026-03-01"


def unzip(file: InputFile) -> list[InputFile]:
    """The CSV files of a zipped bundle (a POSTed payload), with size limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.data))
    except zipfile.BadZipFile:
        raise SourceError(
            f"{file.name} is not a ZIP archive",
            [Problem(file.name, "a CSV bundle is POSTed as a ZIP of its CSV files", "not a ZIP")],
        ) from None
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.endswith(".csv")]
    total = sum(m.file_size for m in members)
    if len(members) > MAX_ZIP_MEMBERS or total > MAX_ZIP_BYTES:
        raise SourceError(
            f"{file.name} is too large",
            [
                Problem(
                    file.name,
                    f"at most {MAX_ZIP_MEMBERS} files and {MAX_ZIP_BYTES} bytes unpacked",
                    f"{len(members)} files, {total} bytes",
                )
            ],
        )
    found = []
    for member in members:
        name = f"{file.name}!{member.filename}"
        try:
            with archive.open(member) as handle:
                data = handle.read(member.file_size + 1)
        except Exception as exc:  # zipfile raises many types: encrypted, corrupt, unsupported
            raise SourceError(
                f"cannot unpack {name}",
                [Problem(name, "readable ZIP member", f"{type(exc).__name__}: {exc}")],
            ) from None
        if len(data) > member.file_size:  # the header understates the size
            raise SourceError(
                f"{name} is larger than its ZIP header says",
                [Problem(name, "consistent ZIP archive", "refused: sizes do not match")],
            )
        found.append(InputFile(name, data))
    return found


class CsvBundleSource(RecipeSource):
    """A CSV bundle as element records."""

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config = recipe.section(CsvBundleConfig) or CsvBundleConfig()

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """One record per element of the bundle (the bookmark is ignored)."""
        files = input_files(self.recipe, self.payload, self.recipe_dir)
        if self.payload is not None:
            files = unzip(files[0])
        bundle = read_bundle(files, self.config)
        mapper = Mapper(bundle, self.ids, self.name, self.config.list_separator)
        records = mapper.records()
        yield from batches(
            records,
            self.recipe.batch_size,
            rejected=[*bundle.problems, *mapper.problems],
            unmapped={},
            read=bundle.read,
            bookmark=None,
        )


KIND = SourceKind(name="csv-bundle", open=CsvBundleSource, section="csv", config=CsvBundleConfig)

__all__ = ["KIND", "SPECS", "CsvBundleConfig", "CsvBundleSource", "read_bundle"]
