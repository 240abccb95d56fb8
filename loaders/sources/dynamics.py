"""Microsoft Dynamics 365 incidents from the Web API (``GET /api/data/v9.2/incidents``).

Pages ``{"@odata.context", value: [...], "@odata.nextLink"}``; every page but
the last has a next link. Option sets (``caseorigincode``, ``casetypecode``,
``statecode``) come as codes; with ``Prefer: odata.include-annotations="*"``
each also has ``<field>@OData.Community.Display.V1.FormattedValue``. A recipe
may map either: ``1`` or ``Phone``. Lookups (``_subjectid_value``) map by GUID
or by display name. Other annotations (``@odata.etag``, lookup logical names)
are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from journeykg.loaders.sources._common import (
    SourceError,
    chain_problems,
)
from journeykg.loaders.sources.crm import CrmSource, crm_kind
from journeykg.loaders.sources.crm_cases import CaseSet, VendorFields, record_id
from journeykg.validation.problems import Problem

FORMATTED = "@OData.Community.Display.V1.FormattedValue"

FIELDS = VendorFields(
    id="incidentid",
    created="createdon",
    modified="modifiedon",
    closed=None,
    reason="_subjectid_value",
    channel="caseorigincode",
)


class IncidentPage(BaseModel):
    """One page of a Web API collection."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    context: str | None = Field(default=None, alias="@odata.context")
    value: list[Any]
    next_link: str | None = Field(default=None, alias="@odata.nextLink")
    count: int | None = Field(default=None, alias="@odata.count")


class DynamicsSource(CrmSource):
    """Dynamics 365 incidents aggregated into contact volumes."""

    vendor = FIELDS

    page_model = IncidentPage
    records_field = "value"

    def fields_of(self, record: Mapping[str, Any]) -> Iterable[str]:
        """An incident's fields; annotations (``field@OData...``) belong to their field."""
        return {key.partition("@")[0] for key in record if not key.startswith("@")}

    def check_pages(self, pages: list[tuple[str, IncidentPage]]) -> list[Problem]:
        """Raise SourceError unless the pages form one chain holding @odata.count incidents;
        a count that incidents on two pages explain is a notice, not a refusal."""
        problems = chain_problems(
            pages,
            lambda page: page.next_link is not None,
            "@odata.nextLink",
            named="an @odata.nextLink",
        )
        notices: list[Problem] = []
        counts = {page.count for _, page in pages if page.count is not None}
        total = sum(len(page.value) for _, page in pages)
        distinct = len(
            {
                found if (found := record_id(r, "incidentid")) is not None else f"{n}#{i}"
                for n, page in pages
                for i, r in enumerate(page.value)
            }
        )
        if counts and counts != {total}:
            if distinct < max(counts):
                problems.append(
                    Problem(
                        pages[0][0],
                        "pages hold @odata.count records",
                        f"the pages hold {distinct} distinct incidents but @odata.count says "
                        f"{max(counts)}: {max(counts) - distinct} incident(s) are missing",
                        property="@odata.count",
                    )
                )
            else:
                notices.append(
                    Problem(
                        pages[0][0],
                        "pages hold @odata.count records",
                        f"the pages hold {total} incidents for @odata.count "
                        f"{', '.join(map(str, sorted(counts)))}: {total - distinct} appear on "
                        "more than one page; none is missing, each counts once",
                        property="@odata.count",
                        severity="Info",
                    )
                )
        if problems:
            raise SourceError("the Dynamics 365 pages are not one complete answer", problems)
        return notices

    def placeholder(self, record: Any) -> tuple[str | None]:
        """An incident's ``incidentid``, all the chain check needs of it."""
        return (record_id(record, "incidentid"),)

    def add_page(self, found: CaseSet, name: str, page: IncidentPage) -> None:
        """The incidents of one page."""
        for index, incident in enumerate(page.value):
            found.read += 1
            origin = f"{name}#value[{index}]"
            if not isinstance(incident, dict):
                found.rejected.append(
                    Problem(name, "incident is a JSON object", f"{origin} is not an object")
                )
                continue
            formatted = {
                key.removesuffix(FORMATTED): str(value)
                for key, value in incident.items()
                if key.endswith(FORMATTED) and isinstance(value, str | int | float)
            }
            fields = {k: v for k, v in incident.items() if "@" not in k}
            case = self.builder.build(fields, origin, name, formatted=formatted)
            if isinstance(case, Problem):
                found.rejected.append(case)
            else:
                found.cases.append(case)


#: Incident fields that hold personal data or free text: a recipe may not name them.
PERSONAL_FIELDS = frozenset(
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
)

KIND = crm_kind("dynamics", DynamicsSource, PERSONAL_FIELDS)
