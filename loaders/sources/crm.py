"""CRM cases -> contact volumes: aggregated per contact reason x channel x period.

The vendor modules (:mod:`.salesforce`, :mod:`.hubspot`, :mod:`.dynamics`,
:mod:`.ticket_csv`) are :class:`CrmSource` s that turn their payloads into cases
(:mod:`.crm_cases`); this module has them counted and maps each aggregate to one
``jkg:ContactVolume`` with a pure function. A vendor registers itself with
:func:`crm_kind`.

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
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from rdflib import Literal

from journeykg.ids import Identifiers
from journeykg.loaders.recipe_model import Recipe
from journeykg.loaders.source import MappedRecord, SourceBatch, Triple, record_iri
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources import crm_parallel
from journeykg.loaders.sources._common import (
    InputFile,
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
    period_of,
    validated_pages,
    year,
)
from journeykg.loaders.sources.crm_cases import (
    Aggregate,
    Case,
    CaseBuilder,
    CaseSet,
    Counted,
    VendorFields,
    aggregate,
)
from journeykg.loaders.sources.crm_config import CrmConfig
from journeykg.loaders.sources.crm_fields import check_fields, first_records_fields
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.problems import Problem

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
        config = recipe.section(CrmConfig)
        if config is None:  # the recipe's own check makes this impossible
            raise SourceError(f"recipe {recipe.name} has no crm section", [])
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config = config
        self.builder = CaseBuilder(self.config, self.vendor, need_modified=self.incremental)

    #: The vendor's page model (its JSON envelope) and the field holding the records.
    page_model: ClassVar[type[BaseModel]]
    records_field: ClassVar[str]

    def reads_pages(self) -> bool:
        """Whether the input is JSON pages (read by :meth:`add_page`, possibly in parallel)."""
        return True

    def check_pages(self, pages: list[tuple[str, Any]]) -> list[Problem]:
        """Raise SourceError unless ``pages`` are one complete answer (the chain is whole);
        return notices on what did not add up but is explained (a record on two pages).

        Only the envelope and the records' ids are looked at: the parallel read hands in
        pages whose records are replaced by :meth:`placeholder` s."""
        raise NotImplementedError

    def placeholder(self, record: Any) -> tuple[str | None]:
        """What the parallel read keeps of a record for :meth:`check_pages`: its id, in a
        tuple (no JSON value is one, so a placeholder is never taken for a record)."""
        return (None,)

    def add_page(self, found: CaseSet, name: str, page: Any) -> None:
        """Every record of one validated page, as a Case or a rejected Problem, into ``found``."""
        raise NotImplementedError

    def fields_of(self, record: Mapping[str, Any]) -> Iterable[str]:
        """The field names of one payload record, as the recipe names them."""
        return record.keys()

    def check_fields(self, pages: list[tuple[str, Any]]) -> None:
        """Raise SourceError if the recipe names a field that the records of the first page
        holding any (the first thousand of them) do not have: every page of an answer has
        the same fields."""
        for name, page in pages:
            present = first_records_fields(getattr(page, self.records_field), self.fields_of)
            if present is not None:
                check_fields(self.recipe, self.builder, present, name)
                return

    def check_header(self, header: list[str], file: str) -> None:
        """Raise SourceError if a CSV export's ``header`` lacks a field the recipe needs."""
        check_fields(self.recipe, self.builder, header, file)

    def read_cases(self, files: list[InputFile]) -> CaseSet:
        """Every case in ``files`` (raise SourceError if they are broken)."""
        pages = validated_pages(files, self.page_model)
        self.check_fields(pages)
        notices = self.check_pages(pages)
        found = CaseSet(notices=notices)
        for name, page in pages:
            self.add_page(found, name, page)
        return found

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """Aggregates of the whole input, or of the periods touched after ``bookmark``."""
        since = parse_bookmark(bookmark, self.name) if self.incremental else None
        counted: Counted | None = None
        if self.reads_pages() and self.payload is None:
            # Found, not read: the workers read the files. Whatever goes wrong while
            # finding them is left to the serial read, which raises it as it always has.
            try:
                paths = list(input_paths(self.recipe, self.recipe_dir))
            except SourceError:
                paths = []
            if paths and crm_parallel.worth_a_pool(paths):
                counted = crm_parallel.read_in_parallel(self, paths, since)
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
            notices=counted.notices,
        )

    def count_serially(self, files: list[InputFile], since: datetime | None) -> Counted:
        """The aggregates of ``files`` read in this process (the reference the parallel read
        must equal)."""
        found = self.read_cases(files)
        cases, repeated = _latest_versions(found.cases)
        notices = [*found.notices, *self._repeated_notice(found.cases, repeated)]
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
        return Counted(groups, unmapped, found.rejected, found.read, newest, notices)

    def _repeated_notice(self, cases: list[Case], repeated: Counter[str]) -> list[Problem]:
        """The notice that cases were read more than once: how often, and their ids (a
        case's id in the CRM is no personal data; its values are never shown)."""
        if not repeated:
            return []
        ids = sorted(repeated)
        first = next(c for c in cases if c.case_id in repeated)
        shown = ", ".join(f"{i} ({repeated[i] + 1}x)" for i in ids[:REPEATS_LISTED])
        more = f" and {len(ids) - REPEATS_LISTED} more" if len(ids) > REPEATS_LISTED else ""
        return [
            Problem(
                first.file,
                "a case counts once",
                f"{len(ids)} case(s) appear more than once in the export ({sum(repeated.values())} "
                f"extra record(s)), e.g. a case that changed while the export was paged; each "
                f"counts once, in its latest version: {shown}{more}",
                property=self.builder.id_field,
                severity="Info",
            )
        ]


#: At most this many repeated case ids are named in the report's notice.
REPEATS_LISTED = 20


def _latest_versions(cases: list[Case]) -> tuple[list[Case], Counter[str]]:
    """One version per case id (a case can appear on two pages when it changes while
    paging), and per repeated id how many extra times it was read."""
    latest: dict[str, Case] = {}
    repeated: Counter[str] = Counter()
    for case in cases:
        seen = latest.get(case.case_id)
        if seen is not None:
            repeated[case.case_id] += 1
        if seen is None or case.modified >= seen.modified:
            latest[case.case_id] = case
    return list(latest.values()), repeated


def _origin(group: Aggregate) -> str:
    files = sorted(group.files)
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    return f"{group.contacts} case(s) in {shown}"


def crm_kind(
    name: str,
    source: type[CrmSource],
    personal_fields: Iterable[str],
    *,
    input_formats: tuple[str, ...] = (),
) -> SourceKind:
    """The registry entry of a CRM vendor's kind: its recipes have the shared ``crm``
    section, read incrementally, and may not name ``personal_fields`` (the vendor's fields
    that hold personal data or free text)."""
    return SourceKind(
        name=name,
        open=source,
        section="crm",
        config=CrmConfig,
        section_required=True,
        personal_fields=frozenset(personal_fields),
        crm=True,
        incremental=True,
        input_formats=input_formats,
    )
