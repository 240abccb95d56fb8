"""Help-desk tickets from a plain CSV export: one row per ticket, the column titles as header.

Help-desk tools (Zendesk, Freshdesk, ...) export their tickets this way. A ticket is a
case: the recipe's ``crm`` section maps the tool's values to contact reasons and channels,
and the tickets are counted into contact volumes like any CRM kind's cases. The columns
journeykg reads by default are below; a recipe names others in ``crm.fields``,
``crm.reason_field`` and ``crm.channel_field``. Empty cells are no value; timestamps are
ISO 8601 (``2026-02-03 09:15``), in ``crm.timezone`` when they carry no offset.

The example in docs/adding-a-source.md builds this module step by step.
"""

from __future__ import annotations

from journeykg.loaders.sources._common import InputFile
from journeykg.loaders.sources.crm import CrmSource, crm_kind
from journeykg.loaders.sources.crm_cases import CaseSet, VendorFields, read_csv_cases

#: The columns read when the recipe does not name others.
COLUMNS = VendorFields(
    id="Id",
    created="Created at",
    modified="Updated at",
    closed="Solved at",
    reason="Contact reason",
    channel="Via",
)

#: Columns with personal data or free text: a recipe may not name them, so their values
#: never reach a case (any column that looks like an e-mail, phone or name is refused too).
PERSONAL_FIELDS = frozenset(
    {
        "Requester",
        "Requester id",
        "Requester email",
        "Submitter",
        "Assignee",
        "Organization",
        "Subject",
        "Description",
        "Tags",
    }
)


class TicketCsvSource(CrmSource):
    """Help-desk tickets, from CSV exports, aggregated into contact volumes."""

    vendor = COLUMNS

    def reads_pages(self) -> bool:
        """A CSV export is read as a whole (there are no pages to hand to workers)."""
        return False

    def read_cases(self, files: list[InputFile]) -> CaseSet:
        """Every ticket of every export file, as a case or a rejected row."""
        found = CaseSet()
        for file in files:
            read_csv_cases(
                file,
                self.builder,
                found,
                export="the ticket export",
                check_header=self.check_header,
                encoding=self.recipe.input.encoding,
            )
        return found


KIND = crm_kind("ticket-csv", TicketCsvSource, PERSONAL_FIELDS)
