"""Errors the store layer raises; each says what was asked and why it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from journeykg.file_faults import FileFault


class StoreError(Exception):
    """A store could not do what was asked (connection lost, write refused, ...)."""


class StoreUnavailableError(StoreError):
    """The store's server cannot be reached right now; the same request may succeed later."""


class MissingCapabilityError(StoreError):
    """The store does not declare the capability an operation needs; nothing was done."""

    def __init__(
        self, store: str, capability: str, purpose: str, declared: list[str], hint: str | None
    ) -> None:
        self.store = store
        self.capability = capability
        self.purpose = purpose
        has = ", ".join(repr(c) for c in declared) or "none"
        message = (
            f"the {store} store cannot {purpose}: it lacks the capability {capability!r} "
            f"(it has: {has})"
        )
        super().__init__(f"{message}; {hint}" if hint else message)


class StorageFaultError(StoreUnavailableError):
    """The server cannot write its files (a full disk, a read-only directory); reads go on.

    Writes are refused (HTTP 503, retry later) until the fault is gone; they
    then work again without a restart. ``what`` names the files (``the
    embedded store``, ``the audit trail``), never their path.
    """

    def __init__(
        self, what: str, fault: FileFault, *, applied: bool = False, reading: bool = False
    ) -> None:
        self.what = what
        self.fault = fault
        if reading:
            message = f"{what} cannot be read: {fault.reason}; retry once {fault.remedy}"
        else:
            outcome = (
                "the write was applied to the graph but its audit entry could not be recorded"
                if applied
                else "nothing was written"
            )
            message = (
                f"{what} cannot be written: {fault.reason}; {outcome}. Writes work again by "
                f"themselves once {fault.remedy}; reads go on"
            )
        super().__init__(message)


class StoreLockedError(StoreError):
    """The embedded store's directory is held by another process (a server, a sync)."""

    def __init__(self, message: str, directory: Path) -> None:
        super().__init__(message)
        self.directory = directory


class LeaseHeldError(StoreError):
    """Another process holds the lease asked for (a sync of the same source runs elsewhere)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"another process holds the lease on {name!r}")


class UnknownElementError(LookupError):
    """No element with this id exists in the store."""

    def __init__(self, ident: str, iri: str) -> None:
        self.ident = ident
        self.iri = iri
        super().__init__(f"unknown element {ident!r}: nothing in the store has the IRI <{iri}>")


class UnsupportedElementError(ValueError):
    """The element exists but the question does not apply to its type."""

    def __init__(self, ident: str, element_type: str, expected: str) -> None:
        self.ident = ident
        self.element_type = element_type
        super().__init__(f"element {ident!r} is a {element_type}; this question needs a {expected}")
