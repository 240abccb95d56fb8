"""CRM cases -> contact volumes: aggregated per contact reason x channel x period.

The vendor modules (:mod:`.salesforce`, :mod:`.hubspot`, :mod:`.dynamics`) turn
their payloads into :class:`Case` s; this module counts them and maps each
aggregate to one ``jkg:ContactVolume`` with a pure function.

What is counted (docs/sync-recipes.md says the same for users):

- **contacts**: cases created in the period (one case = one contact);
- **complaints**: cases matching ``crm.complaint`` (only stated when the rule is given);
- **escalations** (``jkg:escalations``): cases matching ``crm.escalation``;
- **first-contact resolution**: cases resolved on first contact per
  ``crm.first_contact_resolution`` divided by all cases of the aggregate (open
  cases count as not resolved on first contact);
- the period is the one the case was **created** in, in ``crm.timezone``.

Personal data: a :class:`Case` keeps only the fields the recipe names (and
the recipe refuses fields with personal data), so names, e-mails, phone
numbers and customer ids are dropped while the payload is parsed.

Incremental reads: counts are not additive (a case is modified, reopened,
moves to another reason), so an aggregate is always recomputed from every case
of its period in the input, never added to an earlier one. With a bookmark,
only the periods in which some case was modified after the bookmark are
emitted; the input must therefore hold every case of those periods (e.g. an
export of the last three months). An aggregate that loses all its cases is
not emitted and stays until the next full read retires it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from rdflib import Literal, URIRef

from journeykg.ids import Identifiers
from journeykg.loaders.recipe import CrmConfig, Recipe, ValueRule
from journeykg.loaders.source import MappedRecord, SourceBatch, Triple, record_iri
from journeykg.loaders.sources._common import (
    InputFile,
    PeriodSpan,
    RecipeSource,
    SourceError,
    batches,
    bookmark_text,
    day,
    decimal,
    input_files,
    input_paths,
    integer,
    parse_bookmark,
    parse_timestamp,
    period_of,
    validated_pages,
    year,
)
from journeykg.namespaces import JKG, RDF, RDFS
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
            return Problem(
                file=file,
                rule=rule,
                message=f"{origin}: {message}",
                node=node,
                property=prop,
                value=None if value is None else str(value)[:200],
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
        reason_iri, reason_key = iris.get(reason) or _iri_and_key(iris, ids, reason)
        channel_iri, channel_key = iris.get(channel) or _iri_and_key(iris, ids, channel)
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


def _iri_and_key(
    iris: dict[str, tuple[URIRef, str]], ids: Identifiers, value: str
) -> tuple[URIRef, str]:
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
        shown = (case.value(excluded.field) or ("",))[-1]
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
    shown = values[-1] if values else ""
    unmapped[f"{name}='{shown}'"] += 1
    return None


#: The predicates of a contact volume, looked up once: rdflib's ``Namespace`` attribute
#: access builds and checks a new URIRef every time.
_TYPE, _LABEL, _CONTACT_VOLUME = RDF.type, RDFS.label, JKG.ContactVolume
_VOLUME_OF, _VIA_CHANNEL, _PERIOD = JKG.volumeOf, JKG.viaChannel, JKG.period
_PERIOD_START, _PERIOD_END, _CONTACTS = JKG.periodStart, JKG.periodEnd, JKG.contacts
_COMPLAINTS, _ESCALATIONS, _FCR = JKG.complaints, JKG.escalations, JKG.firstContactResolution


def map_contact_volume(
    group: Aggregate, config: CrmConfig, source: str, ids: Identifiers
) -> tuple[str, list[Triple]]:
    """One aggregate as a ``jkg:ContactVolume``: (external id, triples). Pure.

    Triples, not an rdflib graph: the engine reads them as they are (a graph per
    aggregate cost ~0.1 ms to build and read back; :class:`MappedRecord` builds one
    only when asked)."""
    reason_key, channel_key = ids.key(str(group.reason)), ids.key(str(group.channel))
    external_id = f"{reason_key}|{channel_key}|{group.period.label}"
    node = record_iri(ids, "volume", source, external_id)
    described = f"{reason_key} via {channel_key}, {group.period.label} ({source})"
    triples: list[Triple] = [
        (node, _TYPE, _CONTACT_VOLUME),
        (node, _LABEL, Literal(f"Contactvolume {described}", lang="nl")),
        (node, _LABEL, Literal(f"Contact volume {described}", lang="en")),
        (node, _VOLUME_OF, group.reason),
        (node, _VIA_CHANNEL, group.channel),
        (node, _PERIOD, year(group.period.year)),
        (node, _PERIOD_START, day(group.period.start)),
        (node, _PERIOD_END, day(group.period.end)),
        (node, _CONTACTS, integer(group.contacts)),
    ]
    if config.complaint is not None:
        triples.append((node, _COMPLAINTS, integer(group.complaints)))
    if config.escalation is not None:
        triples.append((node, _ESCALATIONS, integer(group.escalations)))
    if config.first_contact_resolution is not None and group.contacts:
        rate = group.resolved_first_contact / group.contacts
        triples.append((node, _FCR, decimal(rate)))
    return external_id, triples


class CrmSource(RecipeSource):
    """A CRM export read as cases and synced as contact-volume aggregates."""

    vendor: ClassVar[VendorFields]

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        if recipe.crm is None:  # the recipe's own check makes this impossible
            raise SourceError(f"recipe {recipe.name} has no crm section", [])
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config: CrmConfig = recipe.crm
        self.builder = CaseBuilder(self.config, self.vendor, need_modified=self.incremental)

    #: The vendor's page model (its JSON envelope) and the field holding the records.
    page_model: ClassVar[type[BaseModel]]
    records_field: ClassVar[str]

    def reads_pages(self) -> bool:
        """Whether the input is JSON pages (read by :meth:`add_page`, possibly in parallel)."""
        return True

    def check_pages(self, pages: list[tuple[str, Any]]) -> None:
        """Raise SourceError unless ``pages`` are one complete answer (the chain is whole).

        Only the envelope and the number of records are looked at: the parallel read hands
        in pages whose records are placeholders."""
        raise NotImplementedError

    def add_page(self, found: CaseSet, name: str, page: Any) -> None:
        """Every record of one validated page, as a Case or a rejected Problem, into ``found``."""
        raise NotImplementedError

    def read_cases(self, files: list[InputFile]) -> CaseSet:
        """Every case in ``files`` (raise SourceError if they are broken)."""
        pages = validated_pages(files, self.page_model)
        self.check_pages(pages)
        found = CaseSet()
        for name, page in pages:
            self.add_page(found, name, page)
        return found

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """Aggregates of the whole input, or of the periods touched after ``bookmark``."""
        since = parse_bookmark(bookmark, self.name) if self.incremental else None
        counted: Counted | None = None
        if self.reads_pages() and self.payload is None:
            from journeykg.loaders.sources.crm_parallel import read_in_parallel, worth_a_pool

            # Found, not read: the workers read the files. Whatever goes wrong while
            # finding them is left to the serial read, which raises it as it always has.
            try:
                paths = list(input_paths(self.recipe, self.recipe_dir))
            except SourceError:
                paths = []
            if paths and worth_a_pool(paths):
                counted = read_in_parallel(self, paths, since)
        if counted is None:
            files = input_files(self.recipe, self.payload, self.recipe_dir)
            counted = self.count_serially(files, since)
        records = []
        for key in sorted(counted.groups):
            group = counted.groups[key]
            external_id, triples = map_contact_volume(group, self.config, self.name, self.ids)
            records.append(MappedRecord(self.name, external_id, _origin(group), triples=triples))
        newest = counted.newest
        if newest is not None and since is not None:
            newest = max(newest, since)
        yield from batches(
            records,
            self.recipe.batch_size,
            rejected=counted.rejected,
            unmapped=dict(counted.unmapped),
            read=counted.read,
            bookmark=bookmark_text(newest) if newest is not None else bookmark,
        )

    def count_serially(self, files: list[InputFile], since: datetime | None) -> Counted:
        """The aggregates of ``files`` read in this process (the reference the parallel read
        must equal)."""
        found = self.read_cases(files)
        cases = _latest_versions(found.cases)
        zone = ZoneInfo(self.config.timezone)
        if since is not None:
            touched = {
                period_of(c.created, self.config.period, zone).label
                for c in cases
                if c.modified > since
            }
            cases = [
                c for c in cases if period_of(c.created, self.config.period, zone).label in touched
            ]
        groups, unmapped = aggregate(
            cases, self.config, self.ids, self.builder.reason_field, self.builder.channel_field
        )
        unmapped.update(found.excluded)
        newest = max((c.modified for c in found.cases), default=None)
        return Counted(groups, unmapped, found.rejected, found.read, newest)


@dataclass
class Counted:
    """What a read of the input yields before mapping: aggregates, problems and counts."""

    groups: dict[tuple[str, str, str], Aggregate]
    unmapped: Counter[str]
    rejected: list[Problem]
    read: int
    newest: datetime | None
    """The latest modification time of any case read (the next bookmark)."""


def _latest_versions(cases: list[Case]) -> list[Case]:
    """One version per case id (a case can appear on two pages when it changes while paging)."""
    latest: dict[str, Case] = {}
    for case in cases:
        seen = latest.get(case.case_id)
        if seen is None or case.modified >= seen.modified:
            latest[case.case_id] = case
    return list(latest.values())


def _origin(group: Aggregate) -> str:
    files = sorted(group.files)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{group.contacts} case(s) in {shown}"
