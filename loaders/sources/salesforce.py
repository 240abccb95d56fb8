"""Salesforce Service Cloud cases: REST query pages (JSON) or a Bulk API 2.0 CSV.

REST: ``GET /services/data/vXX.X/query?q=SELECT ... FROM Case`` answers pages
``{totalSize, done, nextRecordsUrl, records: [{attributes: {type, url}, Id, ...}]}``;
the recipe lists the page files in chain order (or the payload holds one page
or a JSON array of them). The chain is checked: every page but the last says
``done: false`` and has a ``nextRecordsUrl``; the records add up to ``totalSize``.
A broken chain is a :class:`SourceError`: aggregates of a partial export are wrong.

Bulk API 2.0: the job's result CSV (header of field names, ``true``/``false``,
empty for null), ``input.format: bulk-csv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from journeykg.loaders.sources._common import InputFile, SourceError
from journeykg.loaders.sources.crm import CrmSource, crm_kind
from journeykg.loaders.sources.crm_cases import (
    CaseSet,
    VendorFields,
    flatten,
    read_csv_cases,
    record_id,
)
from journeykg.validation.problems import Problem

#: ``/services/data/v60.0/query/01gRO0000016PIAYA2-2000``: the query locator and the offset.
_NEXT = re.compile(r"/query/([A-Za-z0-9]+)-(\d+)$")

FIELDS = VendorFields(
    id="Id",
    created="CreatedDate",
    modified="LastModifiedDate",
    closed="ClosedDate",
    reason="Reason",
    channel="Origin",
)


class QueryPage(BaseModel):
    """One page of a REST query answer."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    total_size: int = Field(alias="totalSize", ge=0)
    done: bool
    next_records_url: str | None = Field(default=None, alias="nextRecordsUrl")
    records: list[Any]


class SalesforceSource(CrmSource):
    """Salesforce cases aggregated into contact volumes."""

    vendor = FIELDS

    page_model = QueryPage
    records_field = "records"

    def reads_pages(self) -> bool:
        """REST query pages; a Bulk API CSV is read as a whole."""
        return self.recipe.input.format != "bulk-csv"

    def read_cases(self, files: list[InputFile]) -> CaseSet:
        """Every case of the REST pages or Bulk CSV files."""
        if self.recipe.input.format == "bulk-csv":
            found = CaseSet()
            for file in files:
                read_csv_cases(
                    file,
                    self.builder,
                    found,
                    export="the Bulk API CSV",
                    check_header=self.check_header,
                    encoding=self.recipe.input.encoding,
                )
            return found
        return super().read_cases(files)

    def fields_of(self, record: Mapping[str, Any]) -> Iterable[str]:
        """A record's fields, related records' as dotted names (``Owner.Name``); not the
        ``attributes`` (type and url) the API adds to every record."""
        return [k for k in flatten(record) if k.rpartition(".")[2] != "attributes"]

    def check_pages(self, pages: list[tuple[str, QueryPage]]) -> list[Problem]:
        """Raise SourceError unless the pages are one complete query answer; notices on
        counts that repeated records explain."""
        return check_chain(pages)

    def placeholder(self, record: Any) -> tuple[str | None]:
        """A record's ``Id``, all the chain check needs of it."""
        return (record_id(record, "Id"),)

    def add_page(self, found: CaseSet, name: str, page: QueryPage) -> None:
        """The cases of one query page."""
        for index, record in enumerate(page.records):
            found.read += 1
            origin = f"{name}#records[{index}]"
            if not isinstance(record, dict):
                found.rejected.append(
                    Problem(name, "record is a JSON object", f"{origin} is not an object")
                )
                continue
            attributes = record.get("attributes")
            kind = attributes.get("type") if isinstance(attributes, dict) else None
            if kind != "Case":
                found.rejected.append(
                    Problem(
                        name,
                        "record is a Case",
                        f"{origin} is a {kind!r} record, not a Case",
                        node=str(record.get("Id")),
                        property="attributes.type",
                    )
                )
                continue
            case = self.builder.build(flatten(record), origin, name)
            if isinstance(case, Problem):
                found.rejected.append(case)
            else:
                found.cases.append(case)


def check_chain(pages: list[tuple[str, QueryPage]]) -> list[Problem]:
    """Raise SourceError unless ``pages`` are one complete chain of a query answer.

    A record read twice (it changed while the query was paged) makes the pages hold more
    records than ``totalSize`` and than the offsets of ``nextRecordsUrl``: that is no
    missing page, and is returned as a notice. Fewer distinct records than ``totalSize``
    is: then records are really missing, and the answer is refused."""
    problems: list[Problem] = []
    notices: list[Problem] = []
    for i, (name, page) in enumerate(pages):
        last = i == len(pages) - 1
        if not last and (page.done or not page.next_records_url):
            problems.append(
                Problem(
                    name,
                    "pages form one chain",
                    "this page says the answer is done, but more pages follow",
                    property="done",
                )
            )
        if last and not page.done:
            problems.append(
                Problem(
                    name,
                    "pages form one chain",
                    f"the last page says done=false (next: {page.next_records_url}): "
                    "a page is missing",
                    property="done",
                )
            )
    locators: set[str] = set()
    cumulative = 0
    distinct: set[str] = set()
    for name, page in pages:
        cumulative += len(page.records)
        distinct.update(_ids(name, page))
        match = _NEXT.search(page.next_records_url or "")
        if match is None:
            continue
        locators.add(match.group(1))
        offset = int(match.group(2))
        # Between the distinct records and all records so far: repeats explain the rest.
        if not len(distinct) <= offset <= cumulative:
            problems.append(
                Problem(
                    name,
                    "pages form one chain",
                    f"nextRecordsUrl continues after record {offset}, but the pages so "
                    f"far hold {cumulative}: pages are missing or out of order",
                    property="nextRecordsUrl",
                    value=page.next_records_url,
                )
            )
    if len(locators) > 1:
        problems.append(
            Problem(
                pages[0][0],
                "pages form one chain",
                f"the pages come from {len(locators)} different queries: "
                + ", ".join(sorted(locators)),
                property="nextRecordsUrl",
            )
        )
    if pages:
        problems_, notices = _total_size(pages)
        problems += problems_
    if problems:
        raise SourceError("the Salesforce query pages are not one complete answer", problems)
    return notices


def _ids(name: str, page: QueryPage) -> list[str]:
    """The ids of a page's records (a record without an id counts on its own)."""
    return [
        found if (found := record_id(record, "Id")) is not None else f"{name}#records[{i}]"
        for i, record in enumerate(page.records)
    ]


def _total_size(pages: list[tuple[str, QueryPage]]) -> tuple[list[Problem], list[Problem]]:
    """(problems, notices) on the records the pages hold against ``totalSize``."""
    first = pages[0][0]
    total = pages[0][1].total_size
    held = sum(len(page.records) for _, page in pages)
    distinct = len({i for name, page in pages for i in _ids(name, page)})
    others = sorted({page.total_size for _, page in pages} - {total})
    said = f" (later pages say {', '.join(map(str, others))})" if others else ""
    if distinct < total:
        return [
            Problem(
                first,
                "pages hold totalSize records",
                f"the pages hold {distinct} distinct records but the answer has totalSize "
                f"{total}{said}: {total - distinct} record(s) are missing",
                property="totalSize",
            )
        ], []
    if held == total and not others:
        return [], []
    explained = []
    if held > distinct:
        explained.append(f"{held - distinct} record(s) appear on more than one page")
    if distinct > total:
        explained.append(
            f"{distinct - total} more distinct record(s) than totalSize, created while the "
            "query was paged"
        )
    return [], [
        Problem(
            first,
            "pages hold totalSize records",
            f"the pages hold {held} records for totalSize {total}{said}: "
            + " and ".join(explained or ["the pages disagree on totalSize"])
            + "; no record is missing, each counts once",
            property="totalSize",
            severity="Info",
        )
    ]


#: Case fields that hold personal data or free text: a recipe may not name them.
PERSONAL_FIELDS = frozenset(
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
)

KIND = crm_kind(
    "salesforce", SalesforceSource, PERSONAL_FIELDS, input_formats=("rest-json", "bulk-csv")
)
