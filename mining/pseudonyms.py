"""Keyed pseudonyms for customer and case identifiers, made the moment they are read.

An identifier from an event log is replaced by HMAC-SHA256 under a secret key from the
settings (``JOURNEYKG_MINING_KEY``): the same customer gets the same pseudonym in every
log read with the same key, so repeat contacts can be counted, but without the key the
pseudonym cannot be turned back into the identifier or confirmed by guessing one.
"""

from __future__ import annotations

import hashlib
import hmac

#: Hex digits kept of the HMAC: 96 bits, so two customers of a log of a hundred million
#: collide with a probability below 1e-12, and the pseudonyms stay short in memory.
PSEUDONYM_HEX = 24


class Pseudonymiser:
    """Turns identifiers into pseudonyms under one key; the key is never shown."""

    __slots__ = ("_key", "_seen")

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ValueError("a pseudonymisation key may not be empty")
        self._key = key
        # Logs name the same customer in many events: each identifier is hashed once.
        # Cleared per read (see `forget`) so no table of clear identifiers outlives it.
        self._seen: dict[str, str] = {}

    def __call__(self, identifier: str) -> str:
        """The pseudonym of ``identifier``."""
        known = self._seen.get(identifier)
        if known is None:
            known = hmac.new(self._key, identifier.encode("utf-8"), hashlib.sha256).hexdigest()[
                :PSEUDONYM_HEX
            ]
            self._seen[identifier] = known
        return known

    def forget(self) -> None:
        """Drop the table of identifiers seen, which holds them in clear."""
        self._seen.clear()

    def __repr__(self) -> str:
        return "Pseudonymiser(key=**********)"
