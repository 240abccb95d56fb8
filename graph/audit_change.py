"""What one write changes, as the audit journal records it: old and new values as N-Triples.

The audited store (graph/audited.py) records, for every write, the triples
it removes (the stored values it replaces) and the ones it adds, each as a
sorted N-Triples line, compared by value (:func:`value`: ``"3.0"`` and
``"3"`` as decimals are one value, a simple literal is its ``xsd:string``).

A batch of a large load holds tens of thousands of triples, so the
comparison is done on their N-Triples lines rather than on sets of rdflib
triples: a line hashes and compares in C, an rdflib term in Python (its
``__hash__`` and ``__eq__`` are Python functions), and each distinct term is
spelled once however many lines name it. Two triples are one value exactly
when their lines are one line (N-Triples spells every term one way), with
one exception handled here: language tags compare without regard to case
(RDF 1.1), so a line's key spells them in lower case; the line recorded
keeps the tag as written.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from journeykg.graph.audit_journal import Change
from journeykg.graph.canonical import canonical_term
from journeykg.graph.subject_index import SubjectIndex, grouped, subject_index
from journeykg.namespaces import XSD

Triple = tuple[Node, Node, Node]
#: Triples as a write's audit takes them: a graph, grouped by subject and predicate, or any.
Triples = Graph | SubjectIndex | Iterable[Triple]
_STRING = XSD.string  # looked up once (a Namespace attribute builds a new URIRef each time)


def value(triple: Triple) -> Triple:
    """A triple as compared and recorded: the value of a literal, not its spelling.

    Backends give back ``"x"^^xsd:string`` for ``"x"`` and ``"3"`` for
    ``"3.0"^^xsd:decimal``; without this, rewriting a value unchanged would
    be recorded as a change.
    """
    s, p, o = triple
    if not isinstance(o, Literal):
        return triple
    canonical = canonical_term(o)
    if (
        isinstance(canonical, Literal)
        and canonical.language is None
        and canonical.datatype == _STRING
    ):
        canonical = Literal(str(canonical))
    return s, p, canonical


#: A term as the audit spells it: the term, its text, its key, its IRI if it is one.
_Spelling = tuple[Node, str, str, str | None]


class _Lines:
    """N-Triples lines of triples, each distinct term object spelled once.

    Terms are looked up by identity (``id``), which costs no Python-level
    hash; the term is kept with its spelling, so that no id is reused while
    the spelling is known. An object's spelling is that of its value
    (:func:`value`), worked out once per term object too: a load repeats the
    same literal objects (counts, years, labels) on many lines.
    """

    def __init__(self) -> None:
        # id → (term, text, key, subject IRI or None)
        self._spelled: dict[int, tuple[Node, str, str, str | None]] = {}
        # A literal's value by the literal (its spelling and datatype, which is what rdflib
        # compares): a sync's batch repeats a few counts and dates thousands of times as
        # distinct term objects, and each value() of a number goes through Decimal.
        self._values: dict[Literal, Node] = {}

    def _spell(self, term: Node, *, as_object: bool) -> tuple[Node, str, str, str | None]:
        known = self._spelled.get(id(term))
        if known is not None and known[0] is term:
            return known
        if as_object and isinstance(term, Literal):
            # (A language tag is recorded as written, and rdflib may compare it without case.)
            # A simple literal is its own value (most of a load's labels and names): no
            # lookup, whose Literal hash is Python code.
            shown: Node | None
            if term.datatype is None and term.language is None:
                shown = term
            else:
                shown = self._values.get(term) if term.language is None else None
            if shown is None:
                shown = value((term, term, term))[2]
                if term.language is None:
                    self._values[term] = shown
            assert isinstance(shown, Literal)
            text = key = _quoteLiteral(shown)
            language = shown.language
            if language and language != language.lower():
                key = _quoteLiteral(Literal(str(shown), lang=language.lower()))
        else:
            text = key = term.n3()
        iri = str(term) if isinstance(term, URIRef) else None
        known = self._spelled[id(term)] = (term, text, key, iri)
        return known

    def add_all(self, into: dict[str, tuple[str, str | None]], triples: Triples) -> None:
        """Add each of ``triples``' line to ``into`` under its key, with its subject's IRI.

        Read subject by subject and predicate by predicate (each spelled once): a
        graph through rdflib's own subject index (graph/subject_index.py), triples
        grouped that way already as they are, other triples grouped once, instead of
        one triple tuple after another (a batch holds tens of thousands)."""
        spelled, spell = self._spelled, self._spell
        for subject, head, objects in self._groups(_index(triples)):
            for o in objects:
                # The cache is read here, inline: this runs once per triple of a write.
                obj = spelled.get(id(o))
                if obj is None or obj[0] is not o:
                    obj = spell(o, as_object=True)
                line = f"{head}{obj[1]} .\n"
                keyed = line if obj[2] is obj[1] else f"{head}{obj[2]} .\n"
                if keyed not in into:
                    into[keyed] = (line, subject[3])

    def lines_of(self, triples: Triples) -> tuple[list[str], set[str]]:
        """``triples``' lines, one per value, and the IRIs of their subjects.

        What :meth:`add_all` keeps of them in an empty mapping, without the mapping:
        a line's key holds its subject and predicate, so two lines of one value
        can only be in one group, and only a group of several objects is compared.
        """
        lines: list[str] = []
        elements: set[str] = set()
        append, spelled, spell = lines.append, self._spelled, self._spell
        for subject, head, objects in self._groups(_index(triples)):
            if subject[3] is not None:
                elements.add(subject[3])
            if len(objects) == 1:
                for o in objects:
                    # The cache is read here, inline: this runs once per triple of a load.
                    obj = spelled.get(id(o))
                    if obj is None or obj[0] is not o:
                        obj = spell(o, as_object=True)
                    append(f"{head}{obj[1]} .\n")
                continue
            kept: dict[str, str] = {}
            for o in objects:
                obj = self._object(o)
                line = f"{head}{obj[1]} .\n"
                kept.setdefault(line if obj[2] is obj[1] else f"{head}{obj[2]} .\n", line)
            lines.extend(kept.values())
        return lines, elements

    def _object(self, term: Node) -> _Spelling:
        known = self._spelled.get(id(term))
        if known is not None and known[0] is term:
            return known
        return self._spell(term, as_object=True)

    def _groups(self, spo: SubjectIndex) -> Iterator[tuple[_Spelling, str, Collection[Node]]]:
        """Per subject and predicate holding values: the subject, the line's head, the objects."""
        spelled, spell = self._spelled, self._spell
        for s, held in spo.items():
            subject = None
            for p, objects in held.items():
                if not objects:
                    continue  # an entry rdflib emptied
                if subject is None:
                    subject = spell(s, as_object=False)
                # Read inline: a subject holds a handful of predicates, all spelled already.
                predicate = spelled.get(id(p))
                if predicate is None or predicate[0] is not p:
                    predicate = spell(p, as_object=False)
                yield subject, f"{subject[1]} {predicate[1]} ", objects


def _index(triples: Triples) -> SubjectIndex:
    if isinstance(triples, Graph):
        return subject_index(triples)
    if isinstance(triples, Mapping):
        return triples
    return grouped(triples)


def addition_of(new: Triples) -> Change:
    """:func:`change_of` with nothing replaced (``change_of((), new)``), made without
    comparing: a first load writes millions of triples, nothing stored before them."""
    lines, elements = _Lines().lines_of(new)
    lines.sort()
    return Change(
        elements=elements,
        removed="",
        added="".join(lines),
        removed_count=0,
        added_count=len(lines),
    )


def change_of(replaced: Triples, new: Triples) -> Change:
    """What a write that replaces ``replaced`` by ``new`` changes: the values removed and added.

    Each is triples, or triples grouped by subject and predicate (:data:`SubjectIndex`).

    A value in both is left as it was and recorded in neither.
    """
    lines = _Lines()
    before: dict[str, tuple[str, str | None]] = {}
    after: dict[str, tuple[str, str | None]] = {}
    lines.add_all(before, replaced)
    lines.add_all(after, new)
    removed = [line for key, line in before.items() if key not in after]
    added = [line for key, line in after.items() if key not in before]
    return Change(
        elements={s for _, s in removed + added if s is not None},
        removed="".join(sorted(line for line, _ in removed)),
        added="".join(sorted(line for line, _ in added)),
        removed_count=len(removed),
        added_count=len(added),
    )
