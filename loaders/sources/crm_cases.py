"""CRM cases: what a case keeps of its record, and how cases are counted per aggregate.

The vendor modules (:mod:`.salesforce`, :mod:`.hubspot`, :mod:`.dynamics`,
:mod:`.ticket_csv`) turn their payloads into :class:`Case` s with a :class:`CaseBuilder`;
:func:`aggregate` counts them per contact reason x channel x period. The serial read
(:mod:`.crm`) and the parallel one (:mod:`.crm_parallel`) share these steps, so that both
count alike.

Personal data: a :class:`Case` keeps only the fields the recipe names (and the recipe refuses
fields with personal data), so names, e-mails, phone numbers and customer ids are dropped
while the payload is parsed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rdflib import URIRef

from journeykg.ids import Identifiers
from journeykg.loaders.personal_data import shown_key, shown_value
from journeykg.loaders.recipe_model import ValueRule, boolean_text, number_text
from journeykg.loaders.sources._common import (
    ENCODING_HINT,
    InputFile,
    PeriodSpan,
    SourceError,
    decode,
    parse_timestamp,
    period_of,
)
from journeykg.loaders.sources.crm_config import CrmConfig
from journeykg.validation.problems import Problem


@dataclass(frozen=True)
class VendorFields:
    """A vendor's default field names (the recipe's ``crm.fields`` etc. override them)."""

    id: str
    created: str
    modified: str
    closed: str | None
    reason: str
    channel: str


@dataclass(frozen=True)
class Case:
    """One CRM case, reduced to what the recipe needs: no personal data is kept."""

    file: str
    origin: str
    """Where it was read: ``cases-page-2.json#records[14]``, ``cases.csv:12``."""
    case_id: str
    """The case's id in the CRM, for problem reports only; it never enters the graph."""
    created: datetime
    modified: datetime
    closed: datetime | None
    values: Mapping[str, tuple[str, ...]]
    """Field -> its value and, if the payload has one, its display value (Dynamics)."""

    def value(self, name: str) -> tuple[str, ...]:
        """The alternatives under which ``name``'s value may be mapped (empty if absent)."""
        return self.values.get(name, ())

    def matches(self, rule: ValueRule | None) -> bool:
        """True if the case's value of ``rule.field`` is one of ``rule.values``."""
        if rule is None:
            return False
        # map over a bound method, not a generator: this runs five times per case
        return any(map(rule.values.__contains__, self.values.get(rule.field, ())))


@dataclass
class Aggregate:
    """The counts of one contact reason x channel x period."""

    reason: URIRef
    channel: URIRef
    period: PeriodSpan
    contacts: int = 0
    complaints: int = 0
    escalations: int = 0
    resolved_first_contact: int = 0
    files: set[str] = field(default_factory=set)


@dataclass
class CaseSet:
    """Cases read from the input, with the records that could not be read."""

    cases: list[Case] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)
    read: int = 0
    notices: list[Problem] = field(default_factory=list)
    """What the read noticed and dealt with (page counts explained by repeated records)."""


def text_of(value: Any) -> str | None:
    """A payload value as text: booleans as ``true``/``false``; None and "" as absent."""
    # str first: nearly every value is one (this runs ten times per case).
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        text = str(value).strip()
        return text or None
    return None


def record_id(record: Any, field: str) -> str | None:
    """The id in ``field`` of a payload record, or the id a placeholder of the parallel
    read already is (:meth:`~journeykg.loaders.sources.crm.CrmSource.placeholder`)."""
    if isinstance(record, tuple):  # a placeholder: (id,), never a JSON value
        return record[0] if record else None
    if isinstance(record, dict):
        value = record.get(field)
        return str(value) if value is not None else None
    return None


#: Values that are never related records; checked before ``Mapping``, whose ABC check is slow.
_PLAIN = (str, int, float, list, type(None))


def flatten(record: Mapping[str, Any], prefix: str = "") -> Mapping[str, Any]:
    """Related records (Salesforce relationship fields, objects with their own ``attributes``)
    as dotted names: ``Owner.Name``. Any other object stays as it is (and is refused if the
    recipe names it). A record without related records is returned as it is (read only)."""
    if not prefix and type(record) is dict:
        # Most records have no related record (a Salesforce record's own ``attributes`` is
        # an object without ``attributes``): then the flat record is the record itself, and
        # copying it was a fifth of a worker's time per case.
        for value in record.values():
            if not isinstance(value, _PLAIN) and (type(value) is not dict or "attributes" in value):
                break
        else:
            return record
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if not isinstance(value, _PLAIN) and isinstance(value, Mapping) and "attributes" in value:
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


class CaseBuilder:
    """Turns a flat payload record into a :class:`Case` (or a :class:`Problem`)."""

    def __init__(self, config: CrmConfig, vendor: VendorFields, *, need_modified: bool) -> None:
        self.config = config
        self.id_field = config.fields.id or vendor.id
        self.created_field = config.fields.created or vendor.created
        self.modified_field = config.fields.modified or vendor.modified
        self.closed_field = config.fields.closed or vendor.closed
        self.reason_field = config.reason_field or vendor.reason
        self.channel_field = config.channel_field or vendor.channel
        self.need_modified = need_modified
        self.zone = ZoneInfo(config.timezone)
        named = {self.reason_field, self.channel_field}
        named.update(name for _, name in config.named_fields())
        self.kept = frozenset(named)
        #: Fields a yes/no rule reads: their values are read as yes or no, in any
        #: documented spelling, and a value that is neither refuses the case.
        self.yes_no = frozenset(rule.field for rule in config.value_rules() if rule.is_yes_no)
        #: Fields a number rule reads: a value that is a number matches by value (``2.0``
        #: is ``2``); one that is not (a display name) is compared as it is.
        self.numbers = frozenset(
            rule.field
            for rule in config.value_rules()
            if rule.is_number and rule.field not in self.yes_no
        )

    def build(
        self,
        record: Mapping[str, Any],
        origin: str,
        file: str,
        *,
        formatted: Mapping[str, str] | None = None,
    ) -> Case | Problem:
        """The case in ``record``; a Problem naming file, record, field and rule if it is bad."""
        case_id = text_of(record.get(self.id_field))
        node = case_id or origin.rpartition("#")[2] or origin

        def problem(prop: str, rule: str, message: str, value: Any = None) -> Problem:
            # The value only when it cannot be personal; else its kind and size.
            return Problem(
                file=file,
                rule=rule,
                message=f"{origin}: {message}",
                node=node,
                property=prop,
                value=None if value is None else shown_value(value),
            )

        if case_id is None:
            return problem(self.id_field, "case has an id", "the case has no id")
        created = self._time(record.get(self.created_field))
        if created is None:
            return problem(
                self.created_field,
                "creation time is an ISO 8601 timestamp",
                "the case has no valid creation time",
                record.get(self.created_field),
            )
        modified = self._time(record.get(self.modified_field))
        if modified is None:
            if self.need_modified:
                return problem(
                    self.modified_field,
                    "modification time is an ISO 8601 timestamp",
                    "an incremental read needs the case's modification time",
                    record.get(self.modified_field),
                )
            modified = created
        closed: datetime | None = None
        if self.closed_field and text_of(record.get(self.closed_field)) is not None:
            closed = self._time(record.get(self.closed_field))
            if closed is None:
                return problem(
                    self.closed_field,
                    "closing time is an ISO 8601 timestamp",
                    "the case's closing time is not a timestamp",
                    record.get(self.closed_field),
                )
        values: dict[str, tuple[str, ...]] = {}
        for name in self.kept:
            raw = record.get(name)
            if raw is not None and not isinstance(raw, bool | int | float | str):
                return problem(name, "field holds a single value", "the field is not a value", raw)
            text = text_of(raw)
            if text is not None and name in self.yes_no:
                answer = boolean_text(text)
                if answer is None:
                    return problem(
                        name,
                        "yes/no field holds true/false, 1/0, yes/no or ja/nee",
                        f"{name} holds {_quoted(text)}, which is no spelling of yes or no "
                        "(true/false, 1/0, yes/no, ja/nee, in any case)",
                        text,
                    )
                values[name] = (answer,)
                continue
            if text is not None and name in self.numbers:
                text = number_text(text) or text
            shown = formatted.get(name) if formatted else None
            if shown and shown != text:
                values[name] = (text, shown) if text else (shown,)
            elif text:
                values[name] = (text,)
        return Case(file, origin, case_id, created, modified, closed, values)

    def _time(self, value: Any) -> datetime | None:
        text = text_of(value)
        if text is None:
            return None
        try:
            return parse_timestamp(text, self.zone)
        except ValueError:
            return None


def resolved_on_first_contact(case: Case, config: CrmConfig, zone: ZoneInfo) -> bool:
    """Whether ``case`` counts as resolved on first contact under the recipe's rule."""
    rule = config.first_contact_resolution
    if rule is None:
        return False
    if rule.rule == "field":
        return case.matches(rule.flag)
    if case.matches(config.escalation) or case.matches(rule.reopened):
        return False
    if not case.matches(rule.closed) or case.closed is None:
        return False
    if rule.rule == "closed-same-day":
        return case.closed.astimezone(zone).date() == case.created.astimezone(zone).date()
    within = timedelta(hours=rule.within_hours or 0)
    return timedelta(0) <= case.closed - case.created <= within


def aggregate(
    cases: Iterable[Case],
    config: CrmConfig,
    ids: Identifiers,
    reason_field: str,
    channel_field: str,
) -> tuple[dict[tuple[str, str, str], Aggregate], Counter[str]]:
    """Count ``cases`` per reason x channel x period; count values the recipe does not map."""
    zone = ZoneInfo(config.timezone)
    groups: dict[tuple[str, str, str], Aggregate] = {}
    unmapped: Counter[str] = Counter()
    # Per mapped value, its IRI and key: the same few hundred values recur in every case.
    iris: dict[str, tuple[URIRef, str]] = {}
    for case in cases:
        mapped = mapped_reason_and_channel(case, config, reason_field, channel_field, unmapped)
        if mapped is None:
            continue
        reason, channel = mapped
        span = period_of(case.created, config.period, zone)
        reason_iri, reason_key = iris.get(reason) or iri_and_key(iris, ids, reason)
        channel_iri, channel_key = iris.get(channel) or iri_and_key(iris, ids, channel)
        key = (reason_key, channel_key, span.label)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Aggregate(reason_iri, channel_iri, span)
        group.contacts += 1
        group.files.add(case.file)
        group.complaints += case.matches(config.complaint)
        group.escalations += case.matches(config.escalation)
        group.resolved_first_contact += resolved_on_first_contact(case, config, zone)
    return groups, unmapped


def iri_and_key(
    iris: dict[str, tuple[URIRef, str]], ids: Identifiers, value: str
) -> tuple[URIRef, str]:
    """The IRI and key of a mapped value, remembered in ``iris`` (the serial and the parallel
    count look up the same few hundred values once per case)."""
    iri = ids.iri(value)
    iris[value] = found = (iri, ids.key(iri))
    return found


def mapped_reason_and_channel(
    case: Case,
    config: CrmConfig,
    reason_field: str,
    channel_field: str,
    unmapped: Counter[str],
) -> tuple[str, str] | None:
    """The contact reason and channel the recipe maps ``case`` to, or None.

    None when a recipe rule excludes the case or a value is not mapped; either
    is counted in ``unmapped``. The serial and the parallel read share this step.
    """
    excluded = (
        next((rule for rule in config.exclude if case.matches(rule)), None)
        if config.exclude
        else None
    )
    if excluded is not None:
        shown = shown_key((case.value(excluded.field) or ("",))[-1])
        unmapped[f"{excluded.field}='{shown}' (excluded by recipe)"] += 1
        return None
    reason = _lookup(case, reason_field, config.reasons, unmapped)
    channel = _lookup(case, channel_field, config.channels, unmapped)
    if reason is None or channel is None:
        return None
    return reason, channel


def _lookup(
    case: Case, name: str, mapping: Mapping[str, str], unmapped: Counter[str]
) -> str | None:
    values = case.value(name)
    for value in values:
        if value in mapping:
            return mapping[value]
    shown = shown_key(values[-1]) if values else ""
    caught = mapping.get(CATCH_ALL)
    if caught is not None:
        unmapped[f"{name}='{shown}' (caught by '{CATCH_ALL}')"] += 1
        return caught
    unmapped[f"{name}='{shown}'"] += 1
    return None


#: The key of ``crm.reasons`` / ``crm.channels`` that maps every value not listed (and no
#: value at all): ``"*": reason/overig``. Such cases are still counted in ``unmapped``.
CATCH_ALL = "*"


def _quoted(value: str) -> str:
    # A message may repeat a bad value only as the personal-data rule allows
    # (loaders/personal_data.py): a single short word, else its description.
    shown = shown_value(value)
    return repr(shown) if shown == value else shown


@dataclass
class Counted:
    """What a read of the input yields before mapping: aggregates, problems and counts."""

    groups: dict[tuple[str, str, str], Aggregate]
    unmapped: Counter[str]
    rejected: list[Problem]
    read: int
    newest: datetime | None
    """The latest modification time of any case read (the next bookmark)."""
    notices: list[Problem] = field(default_factory=list)
    """What the read noticed and dealt with: repeated cases, page counts they explain."""


def read_csv_cases(
    file: InputFile,
    builder: CaseBuilder,
    found: CaseSet,
    *,
    export: str,
    check_header: Callable[[list[str], str], None],
    encoding: str | None = None,
) -> None:
    """Every case of a CSV export into ``found``: a header of field names, then one case per
    row, an empty cell for no value (a Salesforce Bulk API or Data Loader result, a
    help-desk ticket export).

    ``export`` names the kind of file in problems (``the Bulk API CSV``); ``check_header``
    raises SourceError when the header lacks a field the recipe needs; ``encoding`` is the
    file's (UTF-8, with or without a byte order mark, unless the recipe or ``--encoding``
    says otherwise). A file that is empty, not in its encoding or not CSV is a SourceError
    naming its line; a bad row is a Problem."""
    text = decode(file, encoding, hint=ENCODING_HINT)
    if not text.strip():
        raise SourceError(
            f"{file.name} is empty",
            [
                Problem(
                    file.name,
                    "export has a header and rows",
                    f"{export} {file.name} is empty: it has no header and no rows",
                    line=1,
                )
            ],
        )
    reader = csv.DictReader(io.StringIO(text, newline=""))
    # The line a row starts on: the csv module counts the lines it has read, so while a
    # row fails to parse its count still ends at the previous row.
    row_start = 1
    try:
        check_header(list(reader.fieldnames or []), file.name)
        row_start = reader.line_num + 1
        for row in reader:
            found.read += 1
            line = row_start
            row_start = reader.line_num + 1
            origin = f"{file.name}:{line}"
            if None in row:
                found.rejected.append(
                    Problem(
                        file.name,
                        "row has as many fields as the header",
                        f"{origin} has more fields than the header",
                        line=line,
                    )
                )
                continue
            record = {k: (v if v != "" else None) for k, v in row.items()}
            case = builder.build(record, origin, file.name)
            if isinstance(case, Problem):
                found.rejected.append(dataclasses.replace(case, line=line))
            else:
                found.cases.append(case)
    except csv.Error as exc:
        raise SourceError(
            f"{file.name} is not valid CSV",
            [
                Problem(
                    file.name, "CSV syntax", f"the row on line {row_start}: {exc}", line=row_start
                )
            ],
        ) from None
