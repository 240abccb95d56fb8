"""Import a third-party SKOS / NL-SBB glossary (Turtle or JSON-LD) as proposed definitions.

Glossaries from elsewhere are messy. Each problem is either normalised, with
a warning that names the concept, the property and the rule, or the whole
file is refused with such a message and nothing is written:

- a label, definition or note without a language tag gets the file's
  language (``--language``, default ``nl``);
- a structured note or source (a blank node with ``rdf:value``, a title or a
  label) becomes its text;
- a second ``skos:prefLabel`` in one language becomes a ``skos:altLabel``;
- a concept outside any scheme joins the file's scheme (or the journeykg
  glossary); every scheme is typed ``jkg:Glossary`` so the NL-SBB profile applies;
- whatever status the file claims, imported concepts land as *proposed*
  (or *draft*): approving is the governance board's decision, taken through
  the governance workflow, never by an import.

Refused: a concept without an IRI, a structured value without text, two
concepts with one preferred label, a change to a concept (or scheme) the store
holds already (governed data changes only through the governance workflow;
``--propose`` makes change proposals of changed texts instead), and anything
the SHACL gate rejects (e.g. a concept without a definition, a label already
used by a stored concept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.gate_view import GateView
from journeykg.graph.governed import inspect_write, without_subjects
from journeykg.graph.governed_steps import Proposer, make_proposals, proposals_or_refuse
from journeykg.graph.store import Facts, Store
from journeykg.loaders.provenance import stamp
from journeykg.loaders.rdf_file import read_rdf
from journeykg.namespaces import DCTERMS, JKG, RDF, RDFS, REG, SKOS
from journeykg.validation.gate import check, curie
from journeykg.validation.problems import LoadError, Problem, ValidationError

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


@dataclass
class GlossaryImport:
    """What an import wrote, and what it changed on the way in."""

    file: str
    concepts: int
    triples: int
    status: str
    warnings: list[Problem] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    """Change proposals made for stored concepts the file changes (``--propose``)."""


def read_glossary(
    path: Path,
    ids_base: str,
    *,
    rdf_format: str | None = None,
    language: str = "nl",
    status: str = "proposed",
) -> tuple[Graph, list[Problem]]:
    """Parse and normalise a glossary file; raise :class:`LoadError` if it must be refused."""
    if status not in IMPORT_STATUSES:
        raise LoadError(
            f"an import cannot give the status {status!r}",
            [
                Problem(
                    str(path),
                    "imported definitions are proposed or draft",
                    f"choose one of {', '.join(IMPORT_STATUSES)}; approval is the governance "
                    "board's decision (journeykg glossary approve)",
                )
            ],
        )
    graph = read_rdf(path, rdf_format, allow_blank_nodes=True)
    source = str(path)
    warnings: list[Problem] = []
    refusals: list[Problem] = []

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
    for concept in sorted(str(c) for c in typed if not isinstance(c, URIRef)):
        refusals.append(
            problem(
                BNode(concept),
                None,
                "every concept has an IRI",
                "a concept without an IRI cannot be referred to or governed; give it one",
                severity="Violation",
            )
        )
    concepts = {c for c in typed if isinstance(c, URIRef)}

    out = Graph()
    for prefix, namespace in graph.namespaces():
        out.bind(prefix, namespace)
    for s, p, o in graph:
        if isinstance(s, BNode):
            continue  # structured notes are folded in below; blank concepts were refused
        if isinstance(o, BNode):
            # A structured note or source (NL-SBB allows a blank-node source
            # document): keep its text, since a blank node cannot be kept in
            # step across loads and stores.
            text = next((v for q in _TEXT_OF if (v := graph.value(o, q)) is not None), None)
            rule = "a note or source is text or an IRI"
            if not isinstance(text, Literal):
                refusals.append(
                    problem(
                        s,
                        p,
                        rule,
                        "this structured value (a blank node) has no rdf:value, title or "
                        "label to keep; give it one, or an IRI",
                        severity="Violation",
                    )
                )
                continue
            warnings.append(
                problem(
                    s,
                    p,
                    rule,
                    "structured value (blank node) replaced by its text",
                    value=str(text),
                )
            )
            o = text
        if p in TEXT_PROPERTIES and isinstance(o, Literal) and not o.language:
            warnings.append(
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

    _one_pref_label_per_language(out, concepts, warnings, problem)
    refusals += _duplicate_labels(out, concepts, problem)
    schemes = _schemes(out, concepts, ids_base, warnings, problem)
    for scheme in schemes:
        out.add((scheme, RDF.type, SKOS.ConceptScheme))
        out.add((scheme, RDF.type, JKG.Glossary))
    for concept in concepts:
        claimed = graph.value(concept, REG.status)
        if claimed is not None and claimed != IMPORT_STATUSES[status]:
            warnings.append(
                problem(
                    concept,
                    REG.status,
                    "imported definitions are proposed or draft",
                    f"status {curie(claimed)} in the file ignored; imported as {status}",
                )
            )
        out.add((concept, REG.status, IMPORT_STATUSES[status]))
    if refusals:
        raise ValidationError(
            f"{path} cannot be imported: {len(refusals)} problem(s); nothing was written",
            refusals,
        )
    return out, warnings


def import_glossary(
    store: Store,
    path: Path,
    *,
    rdf_format: str | None = None,
    language: str = "nl",
    status: str = "proposed",
    proposer: Proposer | None = None,
) -> GlossaryImport:
    """Normalise, validate and write a glossary file: all of it, or nothing.

    The file's concepts that the store holds already are governed data
    (graph/governed.py): one the file repeats is left as it is, one it
    changes refuses the import, or, with ``proposer``, gets a change
    proposal for its changed texts. The import's own status is for the
    concepts it brings in; a stored one keeps its status.
    """
    started = datetime.now(UTC)
    delta, warnings = read_glossary(
        path, store.ids.base_iri, rdf_format=rdf_format, language=language, status=status
    )
    concepts = {c for c in delta.subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}
    for concept in store.element_facts([str(c) for c in concepts], Facts.TYPES):
        delta.remove((URIRef(concept), REG.status, None))
    governed = inspect_write(store, delta)
    texts = proposals_or_refuse(
        governed, store.ids, str(path), str(path), propose=proposer is not None
    )
    delta = without_subjects(delta, governed.changed | governed.repeated)
    gate = check(delta, GateView(store), str(path), store.ids)
    if gate.violations:
        raise ValidationError(
            f"{path} does not conform to the shapes: {len(gate.violations)} violation(s); "
            "nothing was written",
            gate.violations,
        )
    proposals = make_proposals(texts, proposer) if proposer is not None else []
    triples = len(delta)
    stamp(delta, store.ids, path.name, started)
    store.upsert(delta)
    return GlossaryImport(
        file=str(path),
        concepts=len(concepts - governed.changed - governed.repeated),
        triples=triples,
        status=status,
        warnings=warnings + [p for p in gate.problems if p.severity != "Violation"],
        proposals=proposals,
    )


# --- normalisation steps ------------------------------------------------------------


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


def _duplicate_labels(
    graph: Graph, concepts: set[URIRef], problem: ProblemFactory
) -> list[Problem]:
    owners: dict[Literal, list[URIRef]] = {}
    for concept in sorted(concepts):
        for label in graph.objects(concept, SKOS.prefLabel):
            if isinstance(label, Literal):
                owners.setdefault(label, []).append(concept)
    refusals = []
    for label, named in sorted(owners.items()):
        if len(named) > 1:
            for concept in named:
                others = ", ".join(str(o) for o in named if o != concept)
                refusals.append(
                    problem(
                        concept,
                        SKOS.prefLabel,
                        "one preferred label names one concept",
                        f"the preferred label is also used by {others}; rename one of them "
                        "or make one an skos:altLabel",
                        value=f"{label}@{label.language}",
                        severity="Violation",
                    )
                )
    return refusals


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
