"""Read a published SKOS / NL-SBB glossary file and normalise it into a delta, concept by concept.

Published glossaries are messy. Each problem is either normalised, with a
warning that names the concept, the property and the rule, or recorded as a
problem of the concept it is about (so that an import can leave that
concept out and take the rest):

- a label, definition or note without a language tag gets the file's
  language (``--language``, default ``nl``);
- a structured note or source (a blank node with ``rdf:value``, a title or a
  label) becomes its text;
- metadata journeykg does not model, given as a blank node (a scheme's
  publisher or creator as a ``foaf:Organization``), is skipped with a
  warning; given as an IRI or a literal, it is kept as it is;
- contact details (``dcat:contactPoint``, vCard, ``foaf:mbox``) are skipped
  with a warning in any form: they may name a person;
- SKOS-XL labels (``skosxl:prefLabel`` to a ``skosxl:Label``) become the
  plain SKOS labels of their literal form, as SKOS-XL itself entails (S55-S57);
- a second ``skos:prefLabel`` in one language becomes a ``skos:altLabel``;
- a concept outside any scheme joins the file's scheme (or the journeykg
  glossary); every scheme is typed ``jkg:Glossary`` so the NL-SBB profile applies;
- whatever status the file claims, imported concepts land as *proposed*
  (or *draft*): approving is the governance board's decision.

Problems of a concept: a structured value without text, a definition given
only as text in ``rdfs:isDefinedBy``, two concepts with one preferred label.
A concept without an IRI is a problem of the file (it cannot be named).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.loaders.rdf_file import read_rdf
from journeykg.namespaces import DCTERMS, JKG, RDF, RDFS, REG, SKOS
from journeykg.validation.gate import curie
from journeykg.validation.problems import LoadError, Problem

SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")

#: Makes a Problem about (node, property, rule, message, value=..., severity=...).
ProblemFactory = Callable[..., Problem]

#: Statuses an import may give; approval belongs to the governance workflow.
IMPORT_STATUSES = {"proposed": JKG.statusProposed, "draft": JKG.statusDraft}

#: Where the text of a structured (blank-node) value is found, in order.
_TEXT_OF = (RDF.value, DCTERMS.title, RDFS.label, SKOS.prefLabel)

#: Literal properties whose values need a language tag (NL-SBB: rdf:langString).
TEXT_PROPERTIES = (
    SKOS.prefLabel,
    SKOS.altLabel,
    SKOS.hiddenLabel,
    SKOS.definition,
    SKOS.scopeNote,
    SKOS.note,
    SKOS.example,
    SKOS.editorialNote,
    SKOS.changeNote,
    SKOS.historyNote,
)

#: Properties whose structured (blank-node) values journeykg keeps as their text.
_FOLDED = frozenset({*TEXT_PROPERTIES, DCTERMS.source})

#: SKOS-XL label properties and the SKOS label each entails (SKOS-XL S55-S57).
_XL_LABELS = {
    SKOSXL.prefLabel: SKOS.prefLabel,
    SKOSXL.altLabel: SKOS.altLabel,
    SKOSXL.hiddenLabel: SKOS.hiddenLabel,
}

#: The rule named when metadata journeykg does not model is skipped.
UNMODELLED_RULE = "metadata journeykg does not model is kept only as an IRI or text"

#: Contact details (DCAT contact points, vCard and FOAF addresses): a person's name, e-mail
#: address or phone number may be among them, so they are never stored, in any form.
_CONTACT_PREDICATES = frozenset(
    {
        URIRef("http://www.w3.org/ns/dcat#contactPoint"),
        URIRef("http://xmlns.com/foaf/0.1/mbox"),
        URIRef("http://xmlns.com/foaf/0.1/phone"),
        URIRef("https://schema.org/email"),
        URIRef("http://schema.org/email"),
        URIRef("https://schema.org/telephone"),
        URIRef("http://schema.org/telephone"),
    }
)
_VCARD = "http://www.w3.org/2006/vcard/ns#"
CONTACT_RULE = "contact details are never stored (they may name a person)"


@dataclass
class GlossaryFile:
    """A glossary file read and normalised: the delta, and what was wrong with it."""

    graph: Graph
    concepts: set[URIRef]
    warnings: list[Problem] = field(default_factory=list)
    invalid: dict[URIRef, list[Problem]] = field(default_factory=dict)
    """Per concept, the problems that keep it out (Violations)."""
    unnamed: list[Problem] = field(default_factory=list)
    """Problems no concept IRI can carry (a concept without an IRI): never written anyway."""

    def refuse(self, concept: URIRef, problem: Problem) -> None:
        """Record ``problem`` as one that keeps ``concept`` out."""
        self.invalid.setdefault(concept, []).append(problem)


def status_refusal(path: Path, status: str) -> LoadError:
    """The refusal of an import status other than proposed or draft."""
    return LoadError(
        f"an import cannot give the status {status!r}",
        [
            Problem(
                str(path),
                "imported definitions are proposed or draft",
                f"choose one of {', '.join(IMPORT_STATUSES)}; approval is the governance "
                "board's decision (journeykg governance approve KEY --role steward "
                "--by POST --reason WHY)",
            )
        ],
    )


def read_glossary_file(
    path: Path,
    ids_base: str,
    *,
    rdf_format: str | None = None,
    language: str = "nl",
    status: str = "proposed",
) -> GlossaryFile:
    """Parse and normalise a glossary file; problems are recorded, not raised.

    Raises :class:`LoadError` only when the file cannot be read at all (it
    does not parse) or ``status`` is not one an import may give.
    """
    if status not in IMPORT_STATUSES:
        raise status_refusal(path, status)
    graph = read_rdf(path, rdf_format, allow_blank_nodes=True)
    source = str(path)

    def problem(
        node: Node,
        prop: Node | None,
        rule: str,
        message: str,
        value: str | None = None,
        severity: str = "Warning",
    ) -> Problem:
        return Problem(
            source,
            rule,
            message,
            node=_name(node, ids_base),
            property=curie(prop) if prop is not None else None,
            value=value,
            severity=severity,
        )

    typed = set(graph.subjects(RDF.type, SKOS.Concept))
    concepts = {c for c in typed if isinstance(c, URIRef)}
    found = GlossaryFile(Graph(store=SimpleMemory()), concepts)  # no contexts: cheaper adds
    for concept in sorted(str(c) for c in typed if not isinstance(c, URIRef)):
        found.unnamed.append(
            problem(
                BNode(concept),
                None,
                "every concept has an IRI",
                "a concept without an IRI cannot be referred to or governed; give it one",
                severity="Violation",
            )
        )
    xl_labels = {o for p in _XL_LABELS for o in graph.objects(None, p)}
    out = found.graph
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for s, p, value in graph:
        if isinstance(s, BNode) or s in xl_labels:
            continue  # folded into their referrers below; blank concepts were reported
        o: Node | None = value
        if p in _CONTACT_PREDICATES or str(p).startswith(_VCARD):
            found.warnings.append(
                problem(s, p, CONTACT_RULE, "skipped: journeykg stores no contact details")
            )
            continue
        if isinstance(p, URIRef) and p in _XL_LABELS:
            o = _xl_literal(graph, s, p, value, found, problem)
            p = _XL_LABELS[p]
        elif isinstance(value, BNode):
            o = _structured(graph, s, p, value, found, problem)
        if o is None:
            continue
        if p in TEXT_PROPERTIES and isinstance(o, Literal) and not o.language:
            found.warnings.append(
                problem(
                    s,
                    p,
                    "text has a language tag (NL-SBB: rdf:langString)",
                    f"no language tag: read as @{language}",
                    value=str(o),
                )
            )
            o = Literal(str(o), lang=language)
        if p == REG.status:
            continue  # replaced below: the file does not decide the status
        out.add((s, p, o))

    _definition_in_is_defined_by(out, found, problem)
    _one_pref_label_per_language(out, concepts, found.warnings, problem)
    _duplicate_labels(out, found, problem)
    schemes = _schemes(out, concepts, ids_base, found.warnings, problem)
    for scheme in schemes:
        out.add((scheme, RDF.type, SKOS.ConceptScheme))
        out.add((scheme, RDF.type, JKG.Glossary))
    for concept in concepts:
        claimed = graph.value(concept, REG.status)
        if claimed is not None and claimed != IMPORT_STATUSES[status]:
            found.warnings.append(
                problem(
                    concept,
                    REG.status,
                    "imported definitions are proposed or draft",
                    f"status {curie(claimed)} in the file ignored; imported as {status}",
                )
            )
        out.add((concept, REG.status, IMPORT_STATUSES[status]))
    return found


# --- normalisation steps ------------------------------------------------------------


def _structured(
    graph: Graph,
    s: Node,
    p: Node,
    o: BNode,
    found: GlossaryFile,
    problem: ProblemFactory,
) -> Literal | None:
    """The text a blank-node value stands for, or None when it is skipped or refused."""
    if p not in _FOLDED:
        # Metadata journeykg does not model (a publisher, a contact point): a blank
        # node cannot be kept in step across loads, and a contact point may hold a
        # person's name and address, which journeykg never stores. Skipped, not fatal.
        kind = graph.value(o, RDF.type)
        found.warnings.append(
            problem(
                s,
                p,
                UNMODELLED_RULE,
                "structured value (a blank node"
                + (f", a {curie(kind)}" if kind is not None else "")
                + ") skipped: journeykg does not model it; give it an IRI to keep a link to it",
            )
        )
        return None
    # A structured note or source (NL-SBB allows a blank-node source document):
    # keep its text, since a blank node cannot be kept in step across loads and stores.
    text = next((v for q in _TEXT_OF if (v := graph.value(o, q)) is not None), None)
    rule = "a note or source is text or an IRI"
    if not isinstance(text, Literal):
        report = problem(
            s,
            p,
            rule,
            "this structured value (a blank node) has no rdf:value, title or "
            "label to keep; give it one, or an IRI",
            severity="Violation",
        )
        if isinstance(s, URIRef) and s in found.concepts:
            found.refuse(s, report)
        else:
            found.unnamed.append(report)
        return None
    found.warnings.append(
        problem(s, p, rule, "structured value (blank node) replaced by its text", value=str(text))
    )
    return text


def _xl_literal(
    graph: Graph,
    s: Node,
    p: URIRef,
    label: Node,
    found: GlossaryFile,
    problem: ProblemFactory,
) -> Literal | None:
    form = graph.value(label, SKOSXL.literalForm)
    if not isinstance(form, Literal):
        report = problem(
            s,
            p,
            "a SKOS-XL label has a literal form",
            f"the label {_name(label, '')} has no skosxl:literalForm to read the label from",
            severity="Violation",
        )
        if isinstance(s, URIRef) and s in found.concepts:
            found.refuse(s, report)
        return None
    found.warnings.append(
        problem(
            s,
            p,
            "SKOS-XL labels are read as SKOS labels (SKOS-XL S55-S57)",
            f"kept as {curie(_XL_LABELS[p])} (the label resource itself is not kept)",
            value=str(form),
        )
    )
    return form


def _definition_in_is_defined_by(
    graph: Graph, found: GlossaryFile, problem: ProblemFactory
) -> None:
    """A definition written as text in rdfs:isDefinedBy (which names a defining document)."""
    for concept in sorted(found.concepts):
        if graph.value(concept, SKOS.definition) is not None:
            continue
        for text in graph.objects(concept, RDFS.isDefinedBy):
            if isinstance(text, Literal):
                found.refuse(
                    concept,
                    problem(
                        concept,
                        RDFS.isDefinedBy,
                        "a definition is a skos:definition",
                        "the definition is given only as text in rdfs:isDefinedBy, which names "
                        "the document that defines a concept; move the text to skos:definition",
                        value=str(text),
                        severity="Violation",
                    ),
                )


def _one_pref_label_per_language(
    graph: Graph, concepts: set[URIRef], warnings: list[Problem], problem: ProblemFactory
) -> None:
    for concept in sorted(concepts):
        by_language: dict[str | None, list[Literal]] = {}
        for label in graph.objects(concept, SKOS.prefLabel):
            if isinstance(label, Literal):
                by_language.setdefault(label.language, []).append(label)
        for labels in by_language.values():
            for extra in sorted(labels)[1:]:
                graph.remove((concept, SKOS.prefLabel, extra))
                graph.add((concept, SKOS.altLabel, extra))
                warnings.append(
                    problem(
                        concept,
                        SKOS.prefLabel,
                        "one preferred label per language (SKOS S14)",
                        "second preferred label in this language kept as skos:altLabel",
                        value=str(extra),
                    )
                )


def _duplicate_labels(graph: Graph, found: GlossaryFile, problem: ProblemFactory) -> None:
    owners: dict[Literal, list[URIRef]] = {}
    for concept in sorted(found.concepts):
        for label in graph.objects(concept, SKOS.prefLabel):
            if isinstance(label, Literal):
                owners.setdefault(label, []).append(concept)
    for label, named in sorted(owners.items()):
        if len(named) > 1:
            for concept in named:
                others = ", ".join(str(o) for o in named if o != concept)
                found.refuse(
                    concept,
                    problem(
                        concept,
                        SKOS.prefLabel,
                        "one preferred label names one concept",
                        f"the preferred label is also used by {others}; rename one of them "
                        "or make one an skos:altLabel",
                        value=f"{label}@{label.language}",
                        severity="Violation",
                    ),
                )


def _schemes(
    graph: Graph,
    concepts: set[URIRef],
    base: str,
    warnings: list[Problem],
    problem: ProblemFactory,
) -> set[URIRef]:
    declared = {s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef)}
    declared |= {s for s in graph.objects(None, SKOS.inScheme) if isinstance(s, URIRef)}
    home = min(declared) if declared else URIRef(base + "scheme/glossary")
    for concept in sorted(concepts):
        if graph.value(concept, SKOS.inScheme) is None:
            graph.add((concept, SKOS.inScheme, home))
            warnings.append(
                problem(
                    concept,
                    SKOS.inScheme,
                    "a concept belongs to a glossary",
                    f"no skos:inScheme: placed in {home}",
                )
            )
    return declared | {home}


def _name(node: Node, base: str) -> str:
    text = str(node)
    return text.removeprefix(base) if isinstance(node, URIRef) else f"_:{text}"
