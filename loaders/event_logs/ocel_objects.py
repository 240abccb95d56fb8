"""Which of an OCEL event's objects is its case and which its customer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def related(
    objects: Iterable[str], types: Mapping[str, str], case_type: str, customer_type: str
) -> tuple[str | None, str | None]:
    """The first related object of ``case_type`` and of ``customer_type`` (None when none)."""
    case = customer = None
    for oid in objects:
        kind = types.get(oid)
        if kind == case_type and case is None:
            case = oid
        if kind == customer_type and customer is None:
            customer = oid
    return case, customer
