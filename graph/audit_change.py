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

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from journeykg.graph.audit_journal import Change
from journeykg.graph.canonical import canonical_term
from journeykg.namespaces import XSD

Triple = tuple[Node, Node, Node]


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
        and canonical.datatype == XSD.string
    ):
        canonical = Literal(str(canonical))
    return s, p, canonical


class _Lines:
    """N-Triples lines of triples, each distinct term object spelled once.

    Terms are looked up by identity (``id``), which costs no Python-level
    hash; the term is kept with its spelling, so that no id is reused while
    the spelling is known.
    """

    def __init__(self) -> None:
        self._spelled: dict[int, tuple[Node, str, str]] = {}
        # A literal's value by the literal (its spelling and datatype, which is what rdflib
        # compares): a sync's batch repeats a few counts and dates thousands of times, and
        # each value() of a number goes through Decimal.
        self._values: dict[Literal, Node] = {}

    def _spell(self, term: Node) -> tuple[str, str]:
        known = self._spelled.get(id(term))
        if known is None:
            if isinstance(term, Literal):
                text = _quoteLiteral(term)
                language = term.language
                key = text
                if language and language != language.lower():
                    key = _quoteLiteral(Literal(str(term), lang=language.lower()))
            else:
                text = key = term.n3()
            known = self._spelled[id(term)] = (term, text, key)
        return known[1], known[2]

    def add(self, into: dict[str, tuple[str, str | None]], triple: Triple) -> None:
        """Add ``triple``'s line to ``into`` under its key, with its subject's IRI."""
        s, p, o = triple
        if isinstance(o, Literal) and o.language is None:
            # (A language tag is recorded as written, and rdflib may compare it without case.)
            known = self._values.get(o)
            if known is None:
                known = self._values[o] = value(triple)[2]
            o = known
        else:
            o = value(triple)[2]
        subject = self._spell(s)[0]
        predicate = self._spell(p)[0]
        text, key = self._spell(o)
        line = f"{subject} {predicate} {text} .\n"
        keyed = line if key is text else f"{subject} {predicate} {key} .\n"
        if keyed not in into:
            into[keyed] = (line, str(s) if isinstance(s, URIRef) else None)


def change_of(replaced: Iterable[Triple], new: Iterable[Triple]) -> Change:
    """What a write that replaces ``replaced`` by ``new`` changes: the values removed and added.

    A value in both is left as it was and recorded in neither.
    """
    lines = _Lines()
    before: dict[str, tuple[str, str | None]] = {}
    after: dict[str, tuple[str, str | None]] = {}
    for triple in replaced:
        lines.add(before, triple)
    for triple in new:
        lines.add(after, triple)
    removed = [line for key, line in before.items() if key not in after]
    added = [line for key, line in after.items() if key not in before]
    return Change(
        elements={s for _, s in removed + added if s is not None},
        removed="".join(sorted(line for line, _ in removed)),
        added="".join(sorted(line for line, _ in added)),
        removed_count=len(removed),
        added_count=len(added),
    )
