"""Identity: every element has an IRI minted from a base and a stable key."""

from rdflib import URIRef

from journeykg.namespaces import JKG, PREFIXES

JKG_NS = str(JKG)


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
