"""HubSpot tickets from the CRM v3 objects API (``GET /crm/v3/objects/tickets``).

Pages ``{results: [{id, properties: {...}, createdAt, updatedAt, archived}],
paging: {next: {after, link}}}``; the last page has no ``paging.next``. The
recipe lists the page files in order (or the payload holds one page or a JSON
array of them). A property is named by its internal name (``hs_ticket_category``);
``id``, ``createdAt``, ``updatedAt`` and ``archived`` are fields too.
Archived tickets are left out and counted as excluded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from journeykg.loaders.sources._common import (
    SourceError,
    chain_problems,
)
from journeykg.loaders.sources.crm import CrmSource, crm_kind
from journeykg.loaders.sources.crm_cases import CaseSet, VendorFields, record_id
from journeykg.validation.problems import Problem

FIELDS = VendorFields(
    id="id",
    created="createdate",
    modified="updatedAt",
    closed="closed_date",
    reason="hs_ticket_category",
    channel="source_type",
)


class _Next(BaseModel):
    model_config = ConfigDict(extra="allow")
    after: str


class _Paging(BaseModel):
    model_config = ConfigDict(extra="allow")
    next: _Next | None = None


class TicketPage(BaseModel):
    """One page of the objects API."""

    model_config = ConfigDict(extra="forbid")

    results: list[Any]
    paging: _Paging | None = None


class HubSpotSource(CrmSource):
    """HubSpot tickets aggregated into contact volumes."""

    vendor = FIELDS

    page_model = TicketPage
    records_field = "results"

    def fields_of(self, record: Mapping[str, Any]) -> Iterable[str]:
        """A ticket's properties, and the fields of the ticket object itself."""
        properties = record.get("properties")
        own = [k for k in ("id", "createdAt", "updatedAt", "archived") if k in record]
        return [*(properties if isinstance(properties, Mapping) else ()), *own]

    def check_pages(self, pages: list[tuple[str, TicketPage]]) -> list[Problem]:
        """Raise SourceError unless the pages form one chain (HubSpot states no total)."""
        problems = chain_problems(
            pages,
            lambda page: page.paging is not None and page.paging.next is not None,
            "paging.next",
        )
        if problems:
            raise SourceError("the HubSpot pages are not one complete answer", problems)
        return []

    def placeholder(self, record: Any) -> tuple[str | None]:
        """A ticket's ``id``."""
        return (record_id(record, "id"),)

    def add_page(self, found: CaseSet, name: str, page: TicketPage) -> None:
        """The tickets of one page (archived ones are counted as excluded)."""
        for index, ticket in enumerate(page.results):
            found.read += 1
            origin = f"{name}#results[{index}]"
            if not isinstance(ticket, dict) or not isinstance(ticket.get("properties", {}), dict):
                found.rejected.append(
                    Problem(
                        name,
                        "ticket is an object with properties",
                        f"{origin} is not a ticket object",
                        property="properties",
                    )
                )
                continue
            if ticket.get("archived") is True:
                found.excluded["archived='true' (excluded)"] += 1
                continue
            record = {
                **(ticket.get("properties") or {}),
                **{k: ticket.get(k) for k in ("id", "createdAt", "updatedAt", "archived")},
            }
            case = self.builder.build(record, origin, name)
            if isinstance(case, Problem):
                found.rejected.append(case)
            else:
                found.cases.append(case)


#: Ticket properties that hold personal data or free text: a recipe may not name them.
PERSONAL_FIELDS = frozenset(
    {"subject", "content", "hubspot_owner_id", "hs_all_associated_contact_emails"}
)

KIND = crm_kind("hubspot", HubSpotSource, PERSONAL_FIELDS)
