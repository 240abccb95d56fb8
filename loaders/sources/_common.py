"""What every source needs: its input files, batching, timestamps and periods, literals."""

from __future__ import annotations

import calendar
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import orjson
from pydantic import BaseModel, ValidationError
from rdflib import Literal

from journeykg.ids import Identifiers
from journeykg.loaders.recipe_model import Period, Recipe
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.namespaces import XSD
from journeykg.validation.problems import LoadError, Problem

#: A vendor's page model (Salesforce query page, HubSpot or Dynamics results page).
PageT = TypeVar("PageT", bound=BaseModel)

PAYLOAD_NAME = "<payload>"


class SourceError(LoadError):
    """The input as a whole cannot be read (a file is missing, a page of a chain is lost, a
    file does not parse): nothing of it may be written, because aggregates or a full sync's
    retirements would be wrong. Raised by ``Source.read``; ``problems`` say where and why."""


class RecipeSource:
    """What every source keeps of its recipe; a subclass reads its own section of it."""

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        self.recipe = recipe
        self.ids = ids
        self.payload = payload
        """A REST body read instead of the recipe's input files."""
        self.recipe_dir = recipe_dir
        self.name = recipe.name
        # The recipe refuses mode: incremental for kinds without change times.
        self.incremental = recipe.mode == "incremental"


@dataclass(frozen=True)
class InputFile:
    """One input: a file's name (as reports show it) and its bytes."""

    name: str
    data: bytes


#: The rule of the problem reported when an input file cannot be read.
READABLE_RULE = "input file readable"


@dataclass(frozen=True)
class InputPath:
    """One input file found but not read yet: its name (as reports show it) and its path.

    The parallel CRM read hands these to its workers, which read the files themselves
    (so that the bytes of a 1M-case export never pass through the syncing process)."""

    name: str
    path: Path

    def read(self) -> InputFile:
        """The file's bytes; a SourceError naming the file if it cannot be read."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SourceError(
                f"cannot read {self.path}", [Problem(str(self.path), READABLE_RULE, str(exc))]
            ) from None
        return InputFile(self.name, data)


def input_files(recipe: Recipe, payload: bytes | None, recipe_dir: Path | None) -> list[InputFile]:
    """The recipe's input files (globs, relative to the recipe's directory), or the payload."""
    if payload is not None:
        return [InputFile(f"{PAYLOAD_NAME} of POST /sync/{recipe.name}", payload)]
    # Read as they are found: a pattern's files before the next pattern is looked up, so
    # that the first problem in the recipe's order is the one raised.
    return [found.read() for found in input_paths(recipe, recipe_dir)]


def input_paths(recipe: Recipe, recipe_dir: Path | None) -> Iterator[InputPath]:
    """The recipe's input files, found (globs, relative to the recipe's directory) pattern by
    pattern, not read; raises SourceError when there are none or a pattern matches none."""
    base = recipe_dir or recipe.base_dir or Path.cwd()
    if not recipe.input.files:
        raise SourceError(
            f"recipe {recipe.name} names no input files",
            [Problem(recipe.name, "recipe: input.files", "name at least one input file or glob")],
        )
    for pattern in recipe.input.files:
        candidate = Path(pattern)
        paths = (
            [candidate]
            if candidate.is_absolute() and not any(c in pattern for c in "*?[")
            else sorted(base.glob(pattern))
            if not candidate.is_absolute()
            else sorted(Path(candidate.anchor).glob(str(candidate.relative_to(candidate.anchor))))
        )
        paths = [p for p in paths if p.is_file()]
        if not paths:
            raise SourceError(
                f"input {pattern!r} of recipe {recipe.name} matches no file",
                [
                    Problem(
                        str(base / pattern),
                        "input file exists",
                        f"no file matches {pattern!r} (relative to {base})",
                    )
                ],
            )
        for path in paths:
            yield InputPath(_shown_name(path, base), path)


def _shown_name(path: Path, base: Path) -> str:
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


#: What to do about a file that is not in the encoding it was read in (CSV sources).
ENCODING_HINT = (
    "the file may be in another encoding: name it with --encoding (e.g. --encoding latin-1 "
    "or cp1252) or input.encoding in the recipe"
)


def decode(file: InputFile, encoding: str | None = "utf-8-sig", *, hint: str = "") -> str:
    """The file's text; a SourceError naming the file and the line of the first byte that is
    not ``encoding`` (UTF-8, with or without a byte order mark, if None) if it is not."""
    encoding = encoding or "utf-8-sig"
    try:
        return file.data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = file.data.count(b"\n", 0, exc.start) + 1
        byte = file.data[exc.start : exc.start + 1].hex()
        raise SourceError(
            f"{file.name} is not {encoding} text (line {line})",
            [
                Problem(
                    file.name,
                    f"text in {encoding}",
                    f"byte 0x{byte} on line {line} is not {encoding} text"
                    + (f": {hint}" if hint else ""),
                    line=line,
                )
            ],
        ) from None
    except LookupError:
        raise SourceError(
            f"unknown encoding {encoding!r}",
            [
                Problem(
                    file.name,
                    "known encoding",
                    f"{encoding!r} is not an encoding Python knows (e.g. utf-8, latin-1, cp1252)",
                    value=encoding,
                )
            ],
        ) from None


def batches(
    records: Iterable[MappedRecord],
    size: int,
    *,
    rejected: list[Problem],
    unmapped: dict[str, int],
    read: int,
    bookmark: str | None,
    notices: list[Problem] | None = None,
) -> Iterator[SourceBatch]:
    """Cut ``records`` into batches of ``size``. Problems, notices, unmapped values and the
    count of input records go with the first batch; the bookmark goes with the last (it may only be
    saved when everything before it is written). At least one batch is always yielded."""
    chunk: list[MappedRecord] = []
    pending: list[list[MappedRecord]] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            pending.append(chunk)
            chunk = []
    if chunk or not pending:
        pending.append(chunk)
    for i, part in enumerate(pending):
        batch = SourceBatch(records=part)
        if i == 0:
            batch.rejected = list(rejected)
            batch.warnings = list(notices or ())
            batch.unmapped.update(unmapped)
            batch.read = read
        if i == len(pending) - 1:
            batch.bookmark = bookmark
        yield batch


# --- time -------------------------------------------------------------------------------


def parse_timestamp(text: str, zone: ZoneInfo | None = None) -> datetime:
    """An ISO 8601 timestamp (``...Z``, ``+0000``, ``+00:00``) as an aware datetime.

    A timestamp without offset is taken to be in ``zone`` (UTC if none). Raises ValueError.
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or UTC)
    return checked_instant(value)


def checked_instant(value: datetime) -> datetime:
    """``value`` if it is an instant that exists in UTC too (year 1..9999); else ValueError."""
    if 1 < value.year < 9999:  # an offset is under a day: only years 1 and 9999 can overflow
        return value
    try:
        utc = value.astimezone(UTC)
        utc + timedelta(days=2)  # room for any time zone's local date
        utc - timedelta(days=2)
    except (OverflowError, ValueError):
        raise ValueError(f"{value.isoformat()} is out of range") from None
    return value


def bookmark_text(moment: datetime) -> str:
    """A bookmark: the instant in UTC, ISO 8601 with milliseconds and ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_bookmark(bookmark: str | None, source: str) -> datetime | None:
    """The bookmark as an instant; a SourceError if it is not a timestamp."""
    if bookmark is None:
        return None
    try:
        return parse_timestamp(bookmark)
    except ValueError:
        raise SourceError(
            f"bookmark {bookmark!r} of {source} is not a timestamp",
            [Problem(source, "bookmark is an ISO 8601 timestamp", "cannot resume", value=bookmark)],
        ) from None


@dataclass(frozen=True, order=True)
class PeriodSpan:
    """A period of a granularity: its label (``2026-03``, ``2026-Q1``, ``2026``) and days."""

    label: str
    start: date
    end: date

    @property
    def year(self) -> int:
        """The calendar year the period lies in (``jkg:period``)."""
        return self.start.year


def period_of(moment: datetime, granularity: Period, zone: ZoneInfo) -> PeriodSpan:
    """The period in which ``moment`` falls, in time zone ``zone``."""
    local = moment.astimezone(zone)
    return _period_span(local.year, local.month, granularity)


@lru_cache(maxsize=4096)
def _period_span(year: int, month: int, granularity: Period) -> PeriodSpan:
    # Cached: a sync asks for the same few dozen periods once per case.
    if granularity == "year":
        return PeriodSpan(f"{year}", date(year, 1, 1), date(year, 12, 31))
    if granularity == "quarter":
        quarter = (month - 1) // 3 + 1
        first = 3 * (quarter - 1) + 1
        last = first + 2
        return PeriodSpan(
            f"{year}-Q{quarter}",
            date(year, first, 1),
            date(year, last, calendar.monthrange(year, last)[1]),
        )
    return PeriodSpan(
        f"{year}-{month:02d}",
        date(year, month, 1),
        date(year, month, calendar.monthrange(year, month)[1]),
    )


# --- literals ---------------------------------------------------------------------------


# The literal makers are cached: aggregates repeat the same years, days and small counts,
# and building an rdflib Literal (lexical checks, datatype casts) costs microseconds each.
# Literals are immutable, so sharing one between graphs is safe.


@lru_cache(maxsize=65536, typed=True)
def integer(value: int) -> Literal:
    """An ``xsd:integer`` literal."""
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=65536, typed=True)
def decimal(value: Decimal | float, places: int = 4) -> Literal:
    """An ``xsd:decimal`` literal, rounded half-even to ``places`` decimals."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    return Literal(format(number, "f"), datatype=XSD.decimal)


@lru_cache(maxsize=65536, typed=True)
def day(value: date) -> Literal:
    """An ``xsd:date`` literal."""
    return Literal(value.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=4096, typed=True)
def year(value: int) -> Literal:
    """An ``xsd:gYear`` literal."""
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def json_pages(file: InputFile) -> list[tuple[str, object]]:
    """The JSON page(s) in ``file``: one object, or an array of pages (a whole chain posted at
    once). Each comes with the name reports use (``cases.json`` or ``<payload>[2]``)."""
    text = decode(file, "utf-8-sig")
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        # orjson is 2-3x faster than the stdlib but stricter (NaN, integers over 64 bits,
        # nesting over 1,024, lone surrogates): the stdlib decides, with its own messages.
        document = _stdlib_json(file, text)
    return _named_pages(file, document)


def _stdlib_json(file: InputFile, text: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise SourceError(
            f"{file.name} is nested too deeply",
            [Problem(file.name, "JSON nesting", "the document is nested too deeply to read")],
        ) from None
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{file.name} is not valid JSON",
            [Problem(file.name, "JSON syntax", f"{exc.msg} (column {exc.colno})", line=exc.lineno)],
        ) from None


def _named_pages(file: InputFile, document: object) -> list[tuple[str, object]]:
    if isinstance(document, list):
        return [(f"{file.name}[{i}]", page) for i, page in enumerate(document)]
    return [(file.name, document)]


def envelope_problem(name: str, exc: Exception) -> SourceError:
    """A SourceError for a page whose envelope (totalSize, results, value, ...) is wrong."""
    if isinstance(exc, ValidationError):
        problems = [
            Problem(
                name,
                f"page envelope: {error['type']}",
                str(error["msg"]),
                property=".".join(str(p) for p in error["loc"]) or None,
            )
            for error in exc.errors()[:20]
        ]
    else:
        problems = [Problem(name, "page envelope", str(exc))]
    return SourceError(f"{name} is not a page of the expected API response", problems)


def validated_pages(files: list[InputFile], model: type[PageT]) -> list[tuple[str, PageT]]:
    """Every JSON page of ``files`` read as the vendor's page ``model``, in order.

    A page whose envelope does not fit refuses the whole input: without it the
    chain of pages, and so the aggregates, cannot be trusted.
    """
    pages: list[tuple[str, PageT]] = []
    for file in files:
        for name, document in json_pages(file):
            try:
                pages.append((name, model.model_validate(document)))
            except ValidationError as exc:
                raise envelope_problem(name, exc) from None
    return pages


def chain_problems(
    pages: list[tuple[str, PageT]],
    has_next: Callable[[PageT], bool],
    link: str,
    *,
    named: str | None = None,
) -> list[Problem]:
    """Where pages chained by a next ``link`` break: every page but the last has one."""
    last = len(pages) - 1
    return [
        Problem(
            name,
            "pages form one chain",
            f"the last page has {named or link}: a page is missing"
            if i == last
            else f"this page has no {link}, but more pages follow",
            property=link,
        )
        for i, (name, page) in enumerate(pages)
        if has_next(page) == (i == last)
    ]
