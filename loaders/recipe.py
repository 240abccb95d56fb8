"""Sync recipes: a YAML file that says what a source is, where its input is and how to map it.

``load_recipe(path)`` parses and checks a recipe; every mistake is reported
with the file, the key path (``crm.reasons``), the line and the rule, and no
key that the model does not know is accepted. The sync engine reads
``name``, ``kind``, ``mode`` and ``retire_max_share``; the sources read the
rest. The format, with an example per kind, is documented in
docs/sync-recipes.md.

    name: salesforce-service-cloud  # source name: first half of every upsert key
    kind: salesforce      # rdf | csv-bundle | salesforce | hubspot | dynamics | survey | bpmn
    mode: full            # full | incremental
    retire_max_share: 0.05  # a full sync retires at most this share of the source's records
    input:
      files: [cases/page-*.json]  # relative to the recipe; globs, read in sorted order
      format: rest-json   # salesforce: rest-json | bulk-csv; rdf: turtle | json-ld | nt ...
    crm: { ... }          # salesforce, hubspot, dynamics
    survey: { ... }       # survey
    bpmn: { ... }         # bpmn (optional)
    csv: { ... }          # csv-bundle (optional)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from journeykg.validation.problems import LoadError, Problem

Kind = Literal["rdf", "csv-bundle", "salesforce", "hubspot", "dynamics", "survey", "bpmn"]
CRM_KINDS: frozenset[str] = frozenset({"salesforce", "hubspot", "dynamics"})
#: Kinds whose records are aggregates that can be recomputed per touched period (see docs).
INCREMENTAL_KINDS: frozenset[str] = CRM_KINDS | {"survey"}
Period = Literal["month", "quarter", "year"]

#: Fields that hold personal data (or free text that may) in the vendors' payloads. A recipe
#: may not name them: their values would reach the report as unmapped values.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "salesforce": frozenset(
        {
            "SuppliedName",
            "SuppliedEmail",
            "SuppliedPhone",
            "SuppliedCompany",
            "ContactId",
            "AccountId",
            "ContactEmail",
            "ContactPhone",
            "ContactMobile",
            "ContactFax",
            "Subject",
            "Description",
            "Comments",
            "OwnerId",
        }
    ),
    "hubspot": frozenset(
        {"subject", "content", "hubspot_owner_id", "hs_all_associated_contact_emails"}
    ),
    "dynamics": frozenset(
        {
            "title",
            "description",
            "_customerid_value",
            "_primarycontactid_value",
            "_contactid_value",
            "_accountid_value",
            "_ownerid_value",
            "emailaddress",
        }
    ),
}
_PERSONAL_PATTERN = re.compile(
    r"(?i)(e-?mail|phone|mobile|first_?name|last_?name|full_?name|address|birth|iban|bsn)"
)

_KEY = r"^[^\s]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _text_keys(cls, data: Any) -> Any:
        """YAML reads ``1: channel/telefoon`` with an integer key; CRM codes are text here."""
        if isinstance(data, dict):
            return {k: _text_keys_of(v) for k, v in data.items()}
        return data


class ValueRule(_Strict):
    """A record matches when ``field`` holds one of ``values``.

    Booleans are compared as ``"true"`` / ``"false"``, numbers as their text.
    """

    field: str = Field(min_length=1)
    values: list[str] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_scalar_text(v) for v in value]
        return value


class FirstContactResolution(_Strict):
    """When a case counts as resolved on first contact (see docs/sync-recipes.md).

    - ``closed-same-day``: closed (per ``closed``) on the calendar day it was created, in the
      recipe's time zone;
    - ``closed-within``: closed within ``within_hours`` of its creation;
    - ``field``: the CRM says so itself (``flag``, e.g. a custom ``FCR__c`` checkbox).

    For the first two, an escalated case (per ``crm.escalation``) and a reopened case (per
    ``reopened``) never count. The rate is resolved cases / all cases of the aggregate.
    """

    rule: Literal["closed-same-day", "closed-within", "field"]
    closed: ValueRule | None = None
    within_hours: float | None = Field(default=None, gt=0)
    reopened: ValueRule | None = None
    flag: ValueRule | None = None

    @model_validator(mode="after")
    def _complete(self) -> FirstContactResolution:
        if self.rule in ("closed-same-day", "closed-within") and self.closed is None:
            raise ValueError(f"rule {self.rule!r} needs 'closed' (the statuses that mean closed)")
        if self.rule == "closed-within" and self.within_hours is None:
            raise ValueError("rule 'closed-within' needs 'within_hours'")
        if self.rule == "field" and self.flag is None:
            raise ValueError("rule 'field' needs 'flag' (the field and values that mean resolved)")
        return self


class CrmFields(_Strict):
    """Which payload fields hold the case's id and timestamps (each vendor has defaults)."""

    id: str | None = None
    created: str | None = None
    modified: str | None = None
    closed: str | None = None


class CrmConfig(_Strict):
    """How CRM cases become contact volumes: reason x channel x period aggregates."""

    reason_field: str | None = None
    """Field holding the CRM's reason (default: Salesforce Reason, HubSpot hs_ticket_category,
    Dynamics _subjectid_value)."""
    channel_field: str | None = None
    """Field holding the channel (default: Origin, source_type, caseorigincode)."""
    reasons: dict[str, Annotated[str, Field(pattern=_KEY)]] = Field(min_length=1)
    """CRM value -> contact reason key (``reason/nummer-meenemen``) or IRI."""
    channels: dict[str, Annotated[str, Field(pattern=_KEY)]] = Field(min_length=1)
    """CRM value -> channel key (``channel/telefoon``) or IRI."""
    complaint: ValueRule | None = None
    """When a case is a complaint (e.g. Type = Complaint). Without it no complaints are stated."""
    escalation: ValueRule | None = None
    """When a case is escalated (e.g. IsEscalated = true). Without it none are stated."""
    first_contact_resolution: FirstContactResolution | None = None
    exclude: list[ValueRule] = Field(default_factory=list)
    """Cases to leave out (spam, test cases); counted as excluded in the report."""
    fields: CrmFields = Field(default_factory=CrmFields)
    period: Period = "month"
    timezone: str = "UTC"
    """Time zone in which a case's creation falls in a period (and in a day, for FCR)."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return _check_zone(value)

    def named_fields(self) -> list[tuple[str, str]]:
        """(key path, field name) of every payload field this config names."""
        named: list[tuple[str, str]] = []
        for key in ("reason_field", "channel_field"):
            value = getattr(self, key)
            if value:
                named.append((key, value))
        for key in ("complaint", "escalation"):
            rule = getattr(self, key)
            if rule is not None:
                named.append((f"{key}.field", rule.field))
        fcr = self.first_contact_resolution
        if fcr is not None:
            for key in ("closed", "reopened", "flag"):
                rule = getattr(fcr, key)
                if rule is not None:
                    named.append((f"first_contact_resolution.{key}.field", rule.field))
        for i, rule in enumerate(self.exclude):
            named.append((f"exclude.{i}.field", rule.field))
        for key in ("id", "created", "modified", "closed"):
            value = getattr(self.fields, key)
            if value:
                named.append((f"fields.{key}", value))
        return named


class SurveyMetric(_Strict):
    """One score column and how it becomes a KPI value."""

    column: str = Field(min_length=1)
    method: Literal["nps", "mean", "top-2-box", "top-box"]
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


class SurveyConfig(_Strict):
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
    kpis: dict[str, dict[str, Annotated[str, Field(pattern=_KEY)]]] = Field(min_length=1)
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
        return _check_zone(value)

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


class BpmnConfig(_Strict):
    """How BPMN elements get their keys."""

    process_prefix: str = "process/"
    role_prefix: str = "role/"
    key_from: Literal["id", "name"] = "id"
    """Key processes by their BPMN id (stable across renames) or by their name."""
    processes: dict[str, Annotated[str, Field(pattern=_KEY)]] = Field(default_factory=dict)
    """BPMN process/sub-process id or calledElement -> process key, to meet existing keys."""
    roles: dict[str, Annotated[str, Field(pattern=_KEY)]] = Field(default_factory=dict)
    """Lane name -> role key."""
    language: str = Field(default="nl", pattern=r"^[a-z]{2}$")
    """Language of the names in the model."""


class CsvBundleConfig(_Strict):
    """Options of a CSV bundle (docs/csv-bundle.md)."""

    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8-sig"
    list_separator: str = Field(default=";", min_length=1, max_length=1)


class InputSpec(_Strict):
    """Where the input is: files (globs) relative to the recipe's directory."""

    files: list[str] = Field(default_factory=list)
    format: str | None = None
    """Salesforce: ``rest-json`` (default) or ``bulk-csv``; RDF: an rdflib format name."""


class Recipe(_Strict):
    """A parsed, checked sync recipe."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100)
    kind: Kind
    mode: Literal["full", "incremental"] = "full"
    retire_max_share: float = Field(default=0.05, ge=0.0, le=1.0)
    description: str | None = None
    input: InputSpec = Field(default_factory=InputSpec)
    batch_size: int = Field(default=500, ge=1, le=100_000)
    crm: CrmConfig | None = None
    survey: SurveyConfig | None = None
    bpmn: BpmnConfig | None = None
    csv: CsvBundleConfig | None = None

    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def base_dir(self) -> Path | None:
        """The directory of the recipe file (input paths are relative to it), if loaded from one."""
        return self._base_dir

    @model_validator(mode="after")
    def _sections_match_kind(self) -> Recipe:
        wanted = {
            "crm": self.kind in CRM_KINDS,
            "survey": self.kind == "survey",
            "bpmn": self.kind == "bpmn",
            "csv": self.kind == "csv-bundle",
        }
        for section, allowed in wanted.items():
            present = getattr(self, section) is not None
            if present and not allowed:
                raise ValueError(f"section '{section}' does not apply to kind {self.kind!r}")
        if self.kind in CRM_KINDS and self.crm is None:
            raise ValueError(f"kind {self.kind!r} needs a 'crm' section (reasons and channels)")
        if self.kind == "survey" and self.survey is None:
            raise ValueError("kind 'survey' needs a 'survey' section (metrics and kpis)")
        if self.mode == "incremental" and self.kind not in INCREMENTAL_KINDS:
            raise ValueError(
                f"kind {self.kind!r} has no change timestamps to resume from: use mode 'full' "
                f"(incremental works for {', '.join(sorted(INCREMENTAL_KINDS))})"
            )
        if self.kind == "salesforce" and self.input.format not in (None, "rest-json", "bulk-csv"):
            raise ValueError("salesforce input.format is 'rest-json' or 'bulk-csv'")
        if self.crm is not None:
            personal = PERSONAL_FIELDS.get(self.kind, frozenset())
            for path, name in self.crm.named_fields():
                if name in personal or _PERSONAL_PATTERN.search(name):
                    raise ValueError(
                        f"crm.{path} names {name!r}, a field with personal data or free text; "
                        "journeykg never reads it"
                    )
        return self


class RecipeError(LoadError):
    """The recipe cannot be read or used; ``problems`` name the file, key path, line and rule."""


def load_recipe(path: Path) -> Recipe:
    """Parse and check the YAML recipe at ``path``; raise :class:`RecipeError` if it is wrong."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(
            f"cannot read recipe {file}", [Problem(file, "recipe: readable", str(exc))]
        ) from None
    recipe = parse_recipe(text, file)
    recipe._base_dir = path.resolve().parent
    return recipe


def parse_recipe(text: str, file: str = "<recipe>") -> Recipe:
    """Parse and check recipe text; ``file`` names it in problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except RecursionError:
        raise RecipeError(
            f"recipe {file} is nested too deeply",
            [Problem(file, "recipe: YAML nesting", "the recipe is nested too deeply to read")],
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecipeError(
            f"recipe {file} is not valid YAML",
            [Problem(file, "recipe: YAML syntax", str(reason), line=line)],
        ) from None
    duplicates = list(_duplicate_keys(root, ()))
    if duplicates:
        raise RecipeError(
            f"recipe {file} has duplicate keys",
            [
                Problem(
                    file,
                    "recipe: unique keys",
                    "this key appears twice in the same mapping",
                    line=line,
                    property=_dotted(loc),
                )
                for loc, line in duplicates
            ],
        )
    if not isinstance(data, dict):
        raise RecipeError(
            f"recipe {file} is not a mapping",
            [Problem(file, "recipe: mapping", "a recipe is a YAML mapping (name: ..., kind: ...)")],
        )
    try:
        return Recipe.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                file,
                f"recipe: {error['type']}",
                _message(error),
                line=_line_of(root, tuple(error["loc"])),
                property=_dotted(tuple(error["loc"])) or None,
                value=_shown(error.get("input")) if error["type"] != "missing" else None,
            )
            for error in exc.errors()
        ]
        raise RecipeError(
            f"recipe {file} is not valid: {len(problems)} problem(s)", problems
        ) from None


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key: recipes accept only the keys documented in docs/sync-recipes.md"
    if error["type"] == "missing":
        return "this key is required"
    return str(error["msg"]).removeprefix("Value error, ")


def _shown(value: Any) -> str | None:
    if isinstance(value, str | int | float | bool):
        return str(value)
    return None


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the YAML node at ``loc`` (or of its nearest existing ancestor)."""
    if node is None:
        return None
    for depth, part in enumerate(loc, start=1):
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # the key's own line for the key at fault (its value may start below it)
                    last = depth == len(loc)
                    child = key if last or isinstance(value, yaml.ScalarNode) else value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def _duplicate_keys(
    node: yaml.Node | None, loc: tuple[str, ...]
) -> list[tuple[tuple[str, ...], int]]:
    found: list[tuple[tuple[str, ...], int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if name in seen:
                found.append(((*loc, name), int(key.start_mark.line) + 1))
            seen.add(name)
            found.extend(_duplicate_keys(value, (*loc, name)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, (*loc, str(i))))
    return found


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as Europe/Amsterdam)"
        ) from None
    return value


def _text_keys_of(value: Any) -> Any:
    if isinstance(value, dict):
        return {_scalar_text(k): v for k, v in value.items()}
    return value


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value
