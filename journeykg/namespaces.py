"""The RDF namespaces journeykg speaks, and the prefixes it binds them to."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

JKG = Namespace("https://w3id.org/journeykg/ontology#")
JKGSH = Namespace("https://w3id.org/journeykg/shapes#")
SH = Namespace("http://www.w3.org/ns/shacl#")
#: The Registry ontology: its status vocabulary is what governed definitions move through.
REG = Namespace("http://purl.org/linked-data/registry#")
#: ISO 25964's SKOS extension: generic and partitive hierarchy (NL-SBB uses it).
ISOTHES = Namespace("http://purl.org/iso25964/skos-thes#")

#: Prefix -> namespace, used for SPARQL, serialisation and the Neo4j property names.
PREFIXES: dict[str, str] = {
    "jkg": str(JKG),
    "jkgsh": str(JKGSH),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "prov": str(PROV),
    "org": str(ORG),
    "dcterms": str(DCTERMS),
    "sh": str(SH),
    "reg": str(REG),
    "isothes": str(ISOTHES),
}

__all__ = [
    "DCTERMS",
    "ISOTHES",
    "JKG",
    "JKGSH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "REG",
    "SH",
    "SKOS",
    "XSD",
]
