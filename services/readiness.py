"""Readiness: can this server answer questions and take writes right now?

A server whose writes all fail is not ready, even though it answers: a load
balancer should send its traffic elsewhere until it is. Two checks:

- the store answers, and its files and the audit trail take writes
  (:meth:`Store.check_ready`; an embedded store whose last write failed on
  the disk is opened again there once the disk takes writes);
- the SHACL gate that every write passes runs: a small fixed delta is
  validated. It costs tens of milliseconds, so its verdict is kept for
  :data:`GATE_CHECK_SECONDS` (readiness needs no token: callers must not be
  able to make the server validate at will).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from rdflib import Graph

from journeykg.graph.store import Store
from journeykg.validation.gate import check as gate_check

log = logging.getLogger("journeykg.services")

#: How long a verdict of the gate's self-test is kept.
GATE_CHECK_SECONDS = 10.0

#: A concept without a definition: validating it runs the shapes' SPARQL constraints too.
_PROBE = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://id.journeykg.example/readiness/probe> a skos:Concept ;
    skos:prefLabel "Gereedheid"@nl , "Readiness"@en .
"""


class NotReadyError(Exception):
    """The server cannot take writes right now; the message says what fails."""


class Readiness:
    """Checks a store and the gate; the gate's verdict is kept for a while."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], float] = time.monotonic,
        gate: Callable[[Store], None] | None = None,
    ) -> None:
        self.store = store
        self._clock = clock
        self._gate = gate or _validate_probe
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._gate_fault: str | None = None

    def check(self) -> None:
        """Raise StoreUnavailableError or NotReadyError unless reads and writes can be served."""
        self.store.check_ready()
        fault = self._gate_verdict()
        if fault is not None:
            raise NotReadyError(fault)

    def _gate_verdict(self) -> str | None:
        with self._lock:
            now = self._clock()
            if self._checked_at is None or now - self._checked_at >= GATE_CHECK_SECONDS:
                self._checked_at = now
                try:
                    self._gate(self.store)
                    self._gate_fault = None
                except Exception:
                    log.exception("readiness: the SHACL gate fails on its probe")
                    self._gate_fault = (
                        "writes cannot be validated: the SHACL gate fails (the server log "
                        "says why); writes fail until it works"
                    )
            return self._gate_fault


def _validate_probe(store: Store) -> None:
    gate_check(Graph().parse(data=_PROBE, format="turtle"), None, "readiness probe", store.ids)
