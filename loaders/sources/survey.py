"""Survey exports (CSV, one row per response) -> dated KPI values.

Column conventions of Qualtrics (a row of column ids, then two more header
rows: question texts and ``{"ImportId": ...}``; ``header_rows: 2``) and of
Medallia (one header row, often ``;``-separated with day-first dates) are both
read: the recipe names the columns.

Per KPI and period (the period the response was recorded in, in the recipe's
time zone) one ``jkg:KPIValue`` is computed from all responses that feed it:

- ``nps``: % promoters (9-10) minus % detractors (0-6), -100..100;
- ``mean``: the mean score (CES, CSAT on a 1-5 or 1-7 scale);
- ``top-2-box`` / ``top-box``: % of responses in the two highest / the highest
  score(s) of the scale, 0..100 (CSAT as a percentage).

Respondent ids, names and e-mails are never read into a value: only the
columns the recipe names are looked at, and the response id only to drop
duplicates. Incremental reads work as for CRM sources: the periods in which a
response was recorded after the bookmark are recomputed from every response
of those periods in the input.
"""

from __future__ import annotations

import csv
import io
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from rdflib import Graph, Literal

from journeykg.ids import Identifiers
from journeykg.loaders.personal_data import shown_key, shown_value
from journeykg.loaders.recipe_model import (
    ModelKey,
    Period,
    Recipe,
    StrictConfig,
    ValueRule,
    check_zone,
)
from journeykg.loaders.source import MappedRecord, SourceBatch, record_iri
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources._common import (
    ENCODING_HINT,
    InputFile,
    PeriodSpan,
    RecipeSource,
    SourceError,
    batches,
    bookmark_text,
    checked_instant,
    day,
    decimal,
    decode,
    input_files,
    integer,
    parse_bookmark,
    parse_timestamp,
    period_of,
    year,
)
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.problems import Problem

ANY_SUBJECT = "*"


#: How scores become a KPI value (``typing.Literal``: ``Literal`` here is rdflib's).
Method = typing.Literal["nps", "mean", "top-2-box", "top-box"]


class SurveyMetric(StrictConfig):
    """One score column and how it becomes a KPI value."""

    column: str = Field(min_length=1)
    method: Method
    """``nps``: % promoters (9-10) - % detractors (0-6) on a 0-10 scale; ``mean``: the mean
    score; ``top-2-box`` / ``top-box``: share (0..1) of responses in the top two / top
    score(s) of the scale."""
    scale: tuple[int, int] = (0, 10)
    """Lowest and highest valid score; anything else is refused with the line and column."""

    @model_validator(mode="after")
    def _valid_scale(self) -> SurveyMetric:
        low, high = self.scale
        if low >= high:
            raise ValueError(f"scale {list(self.scale)} must go from low to high")
        if self.method == "nps" and self.scale != (0, 10):
            raise ValueError("NPS is defined on a 0-10 scale: use scale [0, 10]")
        return self


class SurveyConfig(StrictConfig):
    """How survey responses become dated KPI values."""

    response_id_column: str | None = None
    """The response id (Qualtrics ResponseId): used to drop duplicates, never written."""
    date_column: str = Field(min_length=1)
    date_format: str | None = None
    """``strptime`` format of the date column; ISO 8601 by default."""
    subject_column: str | None = None
    """Column naming what was measured (a touchpoint, a journey); without it every response
    belongs to the subject ``"*"``."""
    metrics: dict[str, SurveyMetric] = Field(min_length=1)
    kpis: dict[str, dict[str, ModelKey]] = Field(min_length=1)
    """Subject value -> metric name -> KPI key (``kpi/overstappen-nps``)."""
    header_rows: int = Field(default=0, ge=0)
    """Extra header rows after the column names (Qualtrics exports have 2)."""
    include: ValueRule | None = None
    """Only responses matching this rule count (e.g. Finished = True)."""
    period: Period = "month"
    timezone: str = "UTC"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_zone(value)

    @model_validator(mode="after")
    def _metrics_known(self) -> SurveyConfig:
        fed_by: dict[str, str] = {}
        for subject, metrics in self.kpis.items():
            unknown = sorted(set(metrics) - set(self.metrics))
            if unknown:
                raise ValueError(
                    f"kpis[{subject!r}] names metric(s) {unknown} that are not under 'metrics'"
                )
            for metric, kpi in metrics.items():
                if fed_by.setdefault(kpi, metric) != metric:
                    raise ValueError(
                        f"KPI {kpi} is fed by metrics {fed_by[kpi]!r} and {metric!r}; "
                        "a KPI value is computed one way"
                    )
        return self


@dataclass(frozen=True)
class Response:
    """One survey response, reduced to its date, subject and scores."""

    file: str
    line: int
    recorded: datetime
    subject: str
    scores: dict[str, int]
    """Metric name -> score (only the metrics answered)."""


@dataclass
class Measurement:
    """The scores that feed one KPI in one period."""

    kpi: str
    metric: SurveyMetric
    period: PeriodSpan
    scores: list[int] = field(default_factory=list)
    files: set[str] = field(default_factory=set)


def kpi_value(metric: SurveyMetric, scores: list[int]) -> Decimal:
    """The KPI value of ``scores`` under the metric's method."""
    n = len(scores)
    high = metric.scale[1]
    if metric.method == "nps":
        promoters = sum(1 for s in scores if s >= 9)
        detractors = sum(1 for s in scores if s <= 6)
        return Decimal(100 * (promoters - detractors)) / Decimal(n)
    if metric.method == "mean":
        return Decimal(sum(scores)) / Decimal(n)
    top = high - 1 if metric.method == "top-2-box" else high
    return Decimal(100 * sum(1 for s in scores if s >= top)) / Decimal(n)


def map_kpi_value(m: Measurement, source: str, ids: Identifiers) -> tuple[str, Graph]:
    """One measurement as a ``jkg:KPIValue``: (external id, triples). Pure."""
    kpi = ids.iri(m.kpi)
    kpi_key = ids.key(str(kpi))
    external_id = f"{kpi_key}|{m.period.label}"
    node = record_iri(ids, "kpi-value", source, external_id)
    method = {"nps": "NPS", "mean": "gemiddelde", "top-2-box": "top-2-box", "top-box": "top-box"}
    graph = Graph()
    graph.add((node, RDF.type, JKG.KPIValue))
    graph.add(
        (
            node,
            RDFS.label,
            Literal(f"{kpi_key} {m.period.label} ({method[m.metric.method]}, {source})", lang="nl"),
        )
    )
    graph.add((node, JKG.valueOf, kpi))
    graph.add((node, JKG.value, decimal(kpi_value(m.metric, m.scores), 2)))
    graph.add((node, JKG.period, year(m.period.year)))
    graph.add((node, JKG.periodStart, day(m.period.start)))
    graph.add((node, JKG.periodEnd, day(m.period.end)))
    graph.add((node, JKG.responses, integer(len(m.scores))))
    return external_id, graph


class SurveySource(RecipeSource):
    """A survey export aggregated into KPI values per KPI and period."""

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        config = recipe.section(SurveyConfig)
        if config is None:  # the recipe's own check makes this impossible
            raise SourceError(f"recipe {recipe.name} has no survey section", [])
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config = config
        self.zone = ZoneInfo(self.config.timezone)

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """KPI values of the whole input, or of the periods touched after ``bookmark``."""
        since = parse_bookmark(bookmark, self.name) if self.incremental else None
        responses: list[Response] = []
        rejected: list[Problem] = []
        unmapped: Counter[str] = Counter()
        read = 0
        seen_ids: dict[str, str] = {}
        for file in input_files(self.recipe, self.payload, self.recipe_dir):
            read += self._read_file(file, responses, rejected, unmapped, seen_ids)
        period = self.config.period
        if since is not None:
            touched = {
                period_of(r.recorded, period, self.zone).label
                for r in responses
                if r.recorded > since
            }
            responses = [
                r for r in responses if period_of(r.recorded, period, self.zone).label in touched
            ]
        measurements: dict[tuple[str, str], Measurement] = {}
        for response in responses:
            kpis = self.config.kpis.get(response.subject)
            if kpis is None:
                subject = shown_key(response.subject)
                unmapped[f"{self.config.subject_column}='{subject}'"] += 1
                continue
            span = period_of(response.recorded, period, self.zone)
            for metric_name, kpi in kpis.items():
                score = response.scores.get(metric_name)
                if score is None:
                    continue
                key = (self.ids.key(str(self.ids.iri(kpi))), span.label)
                m = measurements.get(key)
                if m is None:
                    m = measurements[key] = Measurement(kpi, self.config.metrics[metric_name], span)
                m.scores.append(score)
                m.files.add(response.file)
        records = []
        for key in sorted(measurements):
            m = measurements[key]
            external_id, graph = map_kpi_value(m, self.name, self.ids)
            origin = f"{len(m.scores)} response(s) in {', '.join(sorted(m.files))}"
            records.append(MappedRecord(self.name, external_id, origin, graph))
        newest = max((r.recorded for r in responses), default=None)
        if newest is not None and since is not None:
            newest = max(newest, since)
        yield from batches(
            records,
            self.recipe.batch_size,
            rejected=rejected,
            unmapped=dict(unmapped),
            read=read,
            bookmark=bookmark_text(newest) if newest is not None else bookmark,
        )

    def _read_file(
        self,
        file: InputFile,
        responses: list[Response],
        rejected: list[Problem],
        unmapped: Counter[str],
        seen_ids: dict[str, str],
    ) -> int:
        """Parse one export; returns the number of responses read."""
        cfg = self.config
        reader = csv.reader(
            io.StringIO(decode(file, cfg.encoding, hint=ENCODING_HINT), newline=""),
            delimiter=cfg.delimiter,
        )
        try:
            header = next(reader, None)
            if header is None:
                raise SourceError(
                    f"{file.name} is empty",
                    [Problem(file.name, "survey export has a header", "the file is empty")],
                )
            header = [h.strip() for h in header]
            needed = [cfg.date_column, *(m.column for m in cfg.metrics.values())]
            needed += [c for c in (cfg.subject_column, cfg.response_id_column) if c]
            needed += [cfg.include.field] if cfg.include else []
            missing = [c for c in dict.fromkeys(needed) if c not in header]
            if missing:
                raise SourceError(
                    f"{file.name} lacks column(s) {', '.join(missing)}",
                    [
                        Problem(
                            file.name,
                            "survey export has the recipe's columns",
                            f"column {c!r} is missing (the header has {len(header)} columns)",
                            line=1,
                            property=c,
                        )
                        for c in missing
                    ],
                )
            index = {name: header.index(name) for name in dict.fromkeys(needed)}
            for _ in range(cfg.header_rows):
                next(reader, None)
            count = 0
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                count += 1
                response = self._response(file.name, line, row, index, rejected, unmapped)
                if response is None:
                    continue
                if cfg.response_id_column:
                    rid = _cell(row, index[cfg.response_id_column])
                    if rid and rid in seen_ids:
                        rejected.append(
                            Problem(
                                file.name,
                                "each response once",
                                f"line {line} repeats a response of {seen_ids[rid]}; skipped",
                                line=line,
                                property=cfg.response_id_column,
                            )
                        )
                        continue
                    if rid:
                        seen_ids[rid] = f"{file.name}:{line}"
                responses.append(response)
            return count
        except csv.Error as exc:
            raise SourceError(
                f"{file.name} is not valid CSV",
                [Problem(file.name, "CSV syntax", str(exc), line=reader.line_num)],
            ) from None

    def _response(
        self,
        file: str,
        line: int,
        row: list[str],
        index: dict[str, int],
        rejected: list[Problem],
        unmapped: Counter[str],
    ) -> Response | None:
        cfg = self.config

        def problem(column: str, rule: str, message: str, value: str | None) -> None:
            rejected.append(
                Problem(
                    file,
                    rule,
                    f"line {line}: {message}",
                    line=line,
                    property=column,
                    value=None if value is None else shown_value(value),
                )
            )

        if cfg.include is not None:
            value = _cell(row, index[cfg.include.field])
            if value not in cfg.include.values:
                unmapped[f"{cfg.include.field}='{shown_key(value)}' (excluded by recipe)"] += 1
                return None
        raw_date = _cell(row, index[cfg.date_column])
        try:
            if cfg.date_format:
                recorded = datetime.strptime(raw_date, cfg.date_format)
                recorded = checked_instant(recorded.replace(tzinfo=recorded.tzinfo or self.zone))
            else:
                recorded = parse_timestamp(raw_date, self.zone)
        except ValueError:
            fmt = cfg.date_format or "ISO 8601"
            problem(cfg.date_column, f"date in {fmt}", "the response date is not a date", raw_date)
            return None
        subject = _cell(row, index[cfg.subject_column]) if cfg.subject_column else ANY_SUBJECT
        scores: dict[str, int] = {}
        for name, metric in cfg.metrics.items():
            text = _cell(row, index[metric.column])
            if text == "":
                continue
            low, high = metric.scale
            try:
                score = int(text)
            except ValueError:
                score = None
            if score is None or not low <= score <= high:
                problem(
                    metric.column,
                    f"score is a whole number from {low} to {high}",
                    f"the {name} score is not on the scale {low}..{high}; response skipped",
                    text,
                )
                return None
            scores[name] = score
        return Response(file, line, recorded, subject, scores)


def _cell(row: list[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


KIND = SourceKind(
    name="survey",
    open=SurveySource,
    section="survey",
    config=SurveyConfig,
    section_required=True,
    incremental=True,
)
