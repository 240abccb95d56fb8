"""Published glossaries, generated: files shaped the way Dutch publishers write SKOS / NL-SBB.

Nothing here is copied from a publisher; each generator writes, from made-up
words, a file in the layout a published glossary of that kind has (read
from the public NL-SBB profile and the publishers' documentation):

- :func:`nl_sbb_thesaurus`: Geonovum's NL-SBB style in Turtle: a scheme with
  DCAT/DCTERMS metadata whose publisher, creator and contact point are blank
  nodes (foaf:Organization, vcard:Kind), concepts with alt and hidden labels,
  notations, examples, scope notes, hierarchy, related and matching concepts.
- :func:`stelselcatalogus`: a stelselcatalogus export, where one concept
  carries its definition as text in ``rdfs:isDefinedBy`` instead of
  ``skos:definition``.
- :func:`sector_begrippenkader`: an energy-sector begrippenkader of 236
  concepts with UUID IRIs and ``dct:identifier``, one without a definition.
- :func:`aedes_begrippenkader`: a housing-sector begrippenkader in JSON-LD,
  Dutch and English, labels written as SKOS-XL label resources;
- :func:`nl_sbb_thesaurus_json_ld`: the NL-SBB thesaurus served as JSON-LD.

Each is also the input of bench/glossary_import.py (any size).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

_PREFIXES = """\
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix skosxl:  <http://www.w3.org/2008/05/skos-xl#> .
@prefix dct:     <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix vcard:   <http://www.w3.org/2006/vcard/ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
"""

#: Made-up word stems; a concept's label is a stem with a number, so every label is unique.
_STEMS = (
    "aansluiting",
    "meetinrichting",
    "netbeheerder",
    "leveringsovereenkomst",
    "verbruiksperiode",
    "huurovereenkomst",
    "verhuurder",
    "woningwaardering",
    "servicekosten",
    "onderhoudsverzoek",
)


@dataclass(frozen=True)
class Published:
    """One generated glossary file and what an import of it must do."""

    name: str
    path: Path
    concepts: int
    bad: tuple[str, ...] = ()
    """IRIs of the concepts an import refuses (left out with ``--skip-invalid``)."""


def _label(i: int) -> str:
    return f"{_STEMS[i % len(_STEMS)].capitalize()} {i}"


def _scheme_metadata(scheme: str, publisher: str) -> str:
    """A scheme as DCAT-AP-NL describes it: its agents and contact point are blank nodes."""
    return f"""
<{scheme}> a skos:ConceptScheme , dcat:Dataset ;
    skos:prefLabel "Begrippenkader {publisher}"@nl ;
    rdfs:label "Begrippenkader {publisher}"@nl ;
    dct:title "Begrippenkader {publisher}"@nl ;
    dct:description "Begrippen zoals {publisher} ze gebruikt."@nl ;
    dct:issued "2024-03-01"^^xsd:date ;
    owl:versionInfo "1.0.0" ;
    dct:publisher [ a foaf:Organization ; foaf:name "{publisher}" ] ;
    dct:creator [ a foaf:Organization , prov:Agent ; foaf:name "Redactie {publisher}" ] ;
    dcat:contactPoint [
        a vcard:Organization ;
        vcard:fn "Servicedesk {publisher}" ;
        vcard:hasEmail <mailto:servicedesk@example.org>
    ] .
"""


def nl_sbb_thesaurus(directory: Path, size: int = 12, *, release: int = 1) -> Published:
    """A Geonovum-style NL-SBB thesaurus in Turtle, every SKOS property a concept may carry.

    ``release`` 2 changes the definition of concept 1, adds one concept and
    leaves the rest as release 1 had them: a new release of the same file.
    """
    base = "https://definities.geostandaarden.example/nl-sbb/id/begrip/"
    scheme = "https://definities.geostandaarden.example/nl-sbb/id/begrippenkader/thesaurus"
    parts = [_PREFIXES, _scheme_metadata(scheme, "Geonovum")]
    count = size + (1 if release > 1 else 0)
    for i in range(count):
        definition = f"Een {_label(i).lower()} zoals de sector het kent."
        if release > 1 and i == 1:
            definition = f"Een {_label(i).lower()} zoals de sector het sinds release 2 kent."
        lines = [
            f"<{base}b{i}> a skos:Concept ;",
            f"    skos:inScheme <{scheme}> ;",
            f'    skos:prefLabel "{_label(i)}"@nl ;',
            f'    skos:altLabel "{_label(i)} (synoniem)"@nl ;',
            f'    skos:hiddenLabel "{_label(i).lower().replace(" ", "")}"@nl ;',
            f'    skos:notation "B{i:04d}" ;',
            f'    skos:definition "{definition}"@nl ;',
            f'    skos:scopeNote "Toelichting bij begrip {i}."@nl ;',
            f'    skos:example "Bijvoorbeeld geval {i}."@nl ;',
            f"    dct:source <https://wetten.example/bwb/{i}> ;",
            f"    skos:exactMatch <https://begrippen.example/extern/{i}> ;",
        ]
        if i == 0:
            lines.append(f"    skos:topConceptOf <{scheme}> ;")
        else:
            lines.append(f"    skos:broader <{base}b0> ;")
        if i > 1:
            lines.append(f"    skos:related <{base}b{i - 1}> ;")
            lines.append(f"    skos:closeMatch <https://begrippen.example/verwant/{i}> ;")
        lines[-1] = lines[-1].removesuffix(" ;") + " ."
        parts.append("\n".join(lines) + "\n")
    path = directory / (f"nl-sbb-thesaurus-r{release}.ttl")
    path.write_text("\n".join(parts), encoding="utf-8")
    return Published("nl-sbb thesaurus", path, count)


def nl_sbb_thesaurus_json_ld(directory: Path, size: int = 12) -> Published:
    """The same thesaurus as JSON-LD, as a publisher's content negotiation serves it.

    Written by rdflib's JSON-LD serialiser from the Turtle (with the
    prefixes as its context), as linked-data servers built on rdflib do;
    blank nodes become ``_:`` identifiers, as in any JSON-LD export.
    """
    from rdflib import Graph

    (directory / "turtle").mkdir(parents=True, exist_ok=True)
    turtle = nl_sbb_thesaurus(directory / "turtle", size)
    graph = Graph().parse(turtle.path, format="turtle")
    declared = [line.split()[1:3] for line in _PREFIXES.splitlines()]
    context = {prefix.rstrip(":"): iri.strip("<>") for prefix, iri in declared}
    path = directory / "nl-sbb-thesaurus.jsonld"
    path.write_text(graph.serialize(format="json-ld", context=context, indent=2), encoding="utf-8")
    return Published("nl-sbb thesaurus (JSON-LD)", path, turtle.concepts)


def stelselcatalogus(directory: Path, size: int = 10) -> Published:
    """A stelselcatalogus export: concept 3 has its definition only in ``rdfs:isDefinedBy``."""
    base = "https://stelselcatalogus.example/id/begrip/"
    scheme = "https://stelselcatalogus.example/id/begrippenkader/basisregistraties"
    # This publisher names its contact point by a mailto: IRI and an e-mail literal.
    contact = (
        f"<{scheme}> dcat:contactPoint <mailto:j.jansen@stelselcatalogus.example> ;\n"
        '    vcard:hasEmail "j.jansen@stelselcatalogus.example" .\n'
    )
    parts = [_PREFIXES, _scheme_metadata(scheme, "Stelselcatalogus"), contact]
    for i in range(size):
        name = f"{base}{_label(i).replace(' ', '')}"
        text = f"Een {_label(i).lower()} zoals de basisregistratie het vastlegt."
        definition = (
            f'    rdfs:isDefinedBy "{text}"@nl ;'
            if i == 3
            else f'    skos:definition "{text}"@nl ;\n'
            f"    rdfs:isDefinedBy <https://wetten.example/bwb/{i}> ;"
        )
        parts.append(
            f"<{name}> a skos:Concept ;\n"
            f"    skos:inScheme <{scheme}> ;\n"
            f'    skos:prefLabel "{_label(i)}"@nl ;\n'
            f"{definition}\n"
            f'    dct:source "Wet basisregistraties, artikel {i}"@nl .\n'
        )
    path = directory / "stelselcatalogus.ttl"
    path.write_text("\n".join(parts), encoding="utf-8")
    return Published("stelselcatalogus", path, size, bad=(f"{base}{_label(3).replace(' ', '')}",))


def sector_begrippenkader(
    directory: Path, size: int = 236, *, missing: int | None = 117
) -> Published:
    """An energy-sector begrippenkader: UUID IRIs; concept ``missing`` has no definition."""
    base = "https://begrippen.netbeheer.example/id/"
    scheme = "https://begrippen.netbeheer.example/id/begrippenkader"
    parts = [_PREFIXES, _scheme_metadata(scheme, "Netbeheer Sector")]
    bad = []
    for i in range(size):
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"sector/{i}")
        iri = f"{base}{ident}"
        definition = (
            ""
            if i == missing
            else f'    skos:definition "Een {_label(i).lower()} in het energienet."@nl ;\n'
        )
        if i == missing:
            bad.append(iri)
        parts.append(
            f"<{iri}> a skos:Concept ;\n"
            f"    skos:inScheme <{scheme}> ;\n"
            f'    dct:identifier "{ident}" ;\n'
            f'    skos:prefLabel "{_label(i)}"@nl ;\n'
            f"{definition}"
            f'    skos:notation "NB-{i}" ;\n'
            f"    dct:source <https://begrippen.netbeheer.example/doc/netcode> .\n"
        )
    path = directory / f"sector-begrippenkader-{size}.ttl"
    path.write_text("\n".join(parts), encoding="utf-8")
    return Published("sector begrippenkader", path, size, bad=tuple(bad))


def aedes_begrippenkader(directory: Path, size: int = 8) -> Published:
    """A housing-sector begrippenkader in JSON-LD: nl and en, labels as SKOS-XL label resources."""
    base = "https://begrippen.aedes.example/id/"
    scheme = base + "begrippenkader"
    graph: list[dict[str, object]] = [
        {
            "@id": scheme,
            "@type": ["skos:ConceptScheme"],
            "skos:prefLabel": [{"@value": "Aedes-begrippenkader", "@language": "nl"}],
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": "Aedes"},
            "dcat:contactPoint": {
                "@type": "vcard:Organization",
                "vcard:fn": "Aedes datastandaarden",
                "vcard:hasEmail": {"@id": "mailto:standaarden@example.org"},
            },
        }
    ]
    for i in range(size):
        concept = f"{base}begrip/{i}"
        graph.append(
            {
                "@id": f"{concept}/label/nl",
                "@type": "skosxl:Label",
                "skosxl:literalForm": {"@value": _label(i), "@language": "nl"},
            }
        )
        graph.append(
            {
                "@id": f"{concept}/label/en",
                "@type": "skosxl:Label",
                "skosxl:literalForm": {"@value": f"Housing term {i}", "@language": "en"},
            }
        )
        graph.append(
            {
                "@id": concept,
                "@type": "skos:Concept",
                "skos:inScheme": {"@id": scheme},
                "skosxl:prefLabel": [
                    {"@id": f"{concept}/label/nl"},
                    {"@id": f"{concept}/label/en"},
                ],
                "skos:definition": [
                    {
                        "@value": f"Een {_label(i).lower()} in de woningcorporatie.",
                        "@language": "nl",
                    },
                    {"@value": f"A housing term {i} of a housing association.", "@language": "en"},
                ],
                "dct:source": {"@id": "https://www.aedes.example/datastandaarden"},
            }
        )
    document = {
        "@context": {
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "skosxl": "http://www.w3.org/2008/05/skos-xl#",
            "dct": "http://purl.org/dc/terms/",
            "dcat": "http://www.w3.org/ns/dcat#",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
        },
        "@graph": graph,
    }
    path = directory / "aedes-begrippenkader.jsonld"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return Published("aedes begrippenkader", path, size)
