"""Identity: every element has an IRI minted from a base and a stable key."""

from rdflib import URIRef


class Identifiers:
    """Turns user-facing ids (a key such as ``process/facturatie``, or an IRI) into IRIs.

    And back: :meth:`key` gives the key of an IRI.
    """

    def __init__(self, base_iri: str) -> None:
        if not base_iri.endswith(("/", "#")):
            raise ValueError(f"base IRI must end with '/' or '#', got {base_iri!r}")
        self.base_iri = base_iri

    def iri(self, ident: str) -> URIRef:
        """The IRI for a key or an IRI given by a user."""
        ident = ident.strip()
        if "://" in ident or ident.startswith("urn:"):
            return URIRef(ident)
        return URIRef(self.base_iri + ident.lstrip("/"))

    def key(self, iri: str) -> str:
        """The key of an IRI under the base; IRIs elsewhere are their own key."""
        if iri.startswith(self.base_iri):
            return iri[len(self.base_iri) :]
        return iri
