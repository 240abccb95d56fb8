"""Identity: every element has an IRI minted from a base and a stable key."""

import re

from rdflib import URIRef

from journeykg.namespaces import JKG, PREFIXES

JKG_NS = str(JKG)

# What N-Triples' IRIREF production forbids (spaces, controls, <>"{}|^`\\).
# Hand-written: rdflib's own check is private, and Neo4j would store any
# string as an "IRI", so the backends would disagree about such ids.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


#: The rule an id must keep, as error messages state it.
ID_RULE = (
    'an id (key or IRI) is not empty and has no spaces, control characters or any of <>"{}|^`\\'
)


def id_problem(ident: str) -> str | None:
    """What keeps ``ident`` from naming an element (as a key or an IRI), or None if nothing does.

    Surrounding whitespace is allowed: it is stripped.
    """
    ident = ident.strip()
    if not ident:
        return "it is empty"
    bad = sorted({repr(c) for c in _NOT_IN_IRI.findall(ident)})
    return f"it contains {', '.join(bad)}" if bad else None


class InvalidIdentifierError(ValueError):
    """A key or IRI that cannot name an element: it would not be a valid IRI."""

    def __init__(self, ident: str) -> None:
        self.ident = ident
        self.problem = id_problem(ident) or "it is not valid"
        super().__init__(f"{ident!r} is not a valid id: {self.problem} ({ID_RULE})")


class Identifiers:
    """Turns user-facing ids (a key such as ``process/facturatie``, or an IRI) into IRIs.

    And back: :meth:`key` gives the key of an IRI.
    """

    def __init__(self, base_iri: str) -> None:
        if not base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#', got {base_iri!r}")
        self.base_iri = base_iri

    def iri(self, ident: str) -> URIRef:
        """The IRI for a key or an IRI given by a user.

        Raises :class:`InvalidIdentifierError` (a ValueError) for an id that
        cannot be part of an IRI, so that no backend ever stores one.
        """
        if id_problem(ident) is not None:
            raise InvalidIdentifierError(ident)
        ident = ident.strip()
        if "://" in ident or ident.startswith("urn:"):
            return URIRef(ident)
        prefix, sep, local = ident.partition(":")
        if sep and prefix in PREFIXES:  # a CURIE such as jkg:NPS
            return URIRef(PREFIXES[prefix] + local)
        return URIRef(self.base_iri + ident.lstrip("/"))

    def key(self, iri: str) -> str:
        """The key of an IRI under the base; a CURIE in the model's namespace; else the IRI."""
        if iri.startswith(self.base_iri):
            return iri[len(self.base_iri) :]
        if iri.startswith(JKG_NS):
            return "jkg:" + iri[len(JKG_NS) :]
        return iri
