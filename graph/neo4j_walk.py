"""An impact walk taken inside Neo4j, in one call: the ``journeykg.walk`` procedure.

Walking hop by hop (:class:`~journeykg.graph.walk.HopByHop`) costs a Bolt
round trip per hop, which dominates answers of more than a few hundred
elements. journeykg's Neo4j plugin (``tools/neo4j/plugin``, installed in the
server's ``plugins/`` directory) takes the same walk in the server. It
knows nothing of journeykg's model: the rules, how labels make a class and
which IRIs only the ontology knows arrive as parameters, computed here from
the same code the hop-by-hop walk uses, so Python stays their one source.
Without the plugin (or with an older protocol) the store walks hop by hop;
the answers are the same either way (the conformance tests compare them).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j.exceptions import Neo4jError

from journeykg.graph import neo4j_procedures
from journeykg.graph.elements import ontology_classes, ontology_labels, pick_label
from journeykg.graph.errors import StoreError
from journeykg.graph.model import ElementRef
from journeykg.graph.property_graph import IDENTITY_PROPERTIES, RESOURCE_LABEL, PropertyGraphMapping
from journeykg.graph.relations import Rule
from journeykg.graph.walk_state import Reached, WalkState
from journeykg.namespaces import JKG, RDFS, SKOS

log = logging.getLogger(__name__)

#: A node as a result names it: an IRI, or an index into the walk's elements.
K = TypeVar("K")

PROCEDURE = "journeykg.walk"
#: The plugin names its protocol in the procedure's description
#: (WalkProcedure.PROTOCOL); another one is walked hop by hop, not misread.
PROTOCOL = "journeykg-walk-protocol-1"

#: Runs one read statement with parameters (Neo4jStore._read).
Read = neo4j_procedures.Read

_CALL = (
    f"CALL {PROCEDURE}($roots, $rootClasses, $rules, $maxHops, $stopAfter, $schema) "
    "YIELD iris, levels, classes, classNames, parents, rules, edges, cut, unstored, "
    "labelNodes, labelKeys, labelValues, done, unknownLabels RETURN *"
)
_JKG = str(JKG)
_CONCEPT = str(SKOS.Concept)


def label_names(mapping: PropertyGraphMapping) -> list[str]:
    """The property names (without language) an element's display labels are stored under."""
    return sorted({mapping.name(RDFS.label), mapping.name(SKOS.prefLabel)})


def collect_labels(
    mapping: PropertyGraphMapping,
    names: Collection[str],
    nodes: Iterable[K],
    props: Iterable[str],
    values: Iterable[Any],
) -> dict[K, list[tuple[str, str | None]]]:
    """The (label, language)s of each node, from flat (node, property, value) lists.

    Properties that are not label properties (``names``, see :func:`label_names`)
    are skipped. A result holds a handful of distinct property names
    (``rdfs_label@nl``, ...), so each is parsed once.
    """
    found: dict[K, list[tuple[str, str | None]]] = {}
    parsed: dict[str, tuple[str | None] | None] = {}
    for node, prop, value in zip(nodes, props, values, strict=True):
        if prop not in parsed:
            base, lang = mapping.split_property_name(prop)
            parsed[prop] = (lang,) if base in names else None
        label = parsed[prop]
        if label is not None:
            (lang,) = label
            pairs = found.setdefault(node, [])
            if isinstance(value, list):
                pairs.extend((str(v), lang) for v in value)
            else:
                pairs.append((str(value), lang))
    return found


def class_ranks(
    mapping: PropertyGraphMapping, labels: Iterable[str]
) -> tuple[list[str], dict[str, int]]:
    """How the procedure tells a node's class from its labels, as ``element_type`` does.

    Each label gets a rank in the returned class list; a node's class is the
    class of its smallest rank: journeykg classes first, alphabetically (in
    Python's order), then ``Concept`` (a plain skos:Concept), then ``Resource``.
    """
    iris = {label: str(mapping.iri(label)) for label in labels if label != RESOURCE_LABEL}
    names = sorted({iri[len(_JKG) :] for iri in iris.values() if iri.startswith(_JKG)})
    ranked = [*names, "Concept", "Resource"]
    position = {name: i for i, name in enumerate(names)}
    ranks: dict[str, int] = {}
    for label, iri in iris.items():
        if iri.startswith(_JKG):
            ranks[label] = position[iri[len(_JKG) :]]
        else:
            ranks[label] = len(names) if iri == _CONCEPT else len(names) + 1
    return ranked, ranks


class ServerWalks(neo4j_procedures.ProcedureClient):
    """``journeykg.walk`` on one Neo4j database: is it there, and the parameters it needs."""

    procedures = (PROCEDURE,)
    protocol = PROTOCOL
    otherwise = "impact walks hop by hop"

    def __init__(
        self,
        read: Read,
        mapping: PropertyGraphMapping,
        listing: neo4j_procedures.Listing | None = None,
    ) -> None:
        super().__init__(read, listing)
        self.mapping = mapping
        self.label_names = label_names(mapping)
        self._schema: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def _schema_of(self, refresh: bool) -> dict[str, Any]:
        with self._lock:
            if self._schema is None or refresh:
                labels = [
                    r["label"] for r in self._read("CALL db.labels() YIELD label RETURN label")
                ]
                ranked, ranks = class_ranks(self.mapping, labels)
                self._schema = {
                    "resourceLabel": RESOURCE_LABEL,
                    "rankedClasses": ranked,
                    "labelRanks": ranks,
                    "identityProperties": sorted(IDENTITY_PROPERTIES),
                    "ontologyClasses": ontology_classes(),
                    "labelProperties": self.label_names,
                }
            return self._schema

    def call(
        self,
        roots: Sequence[ElementRef],
        rules: list[dict[str, Any]],
        max_hops: int | None,
        stop_after: int | None,
    ) -> neo4j.Record | None:
        """The procedure's one record; None when it cannot be used (walk hop by hop)."""
        params = {
            "roots": [r.iri for r in roots],
            "rootClasses": [r.type for r in roots],
            "rules": rules,
            "maxHops": max_hops,
            "stopAfter": stop_after,
        }
        # A label written since the schema was read (by anyone) is unknown to
        # it: the procedure says so and is asked again with a fresh one.
        for attempt in range(3):
            try:
                (record,) = self._read(_CALL, schema=self._schema_of(attempt > 0), **params)
            except StoreError as exc:
                cause = exc.__cause__
                if isinstance(cause, Neo4jError) and "ProcedureNotFound" in (cause.code or ""):
                    log.warning("Neo4j no longer has %s: impact walks hop by hop", PROCEDURE)
                    self._installed = False
                    return None
                raise
            if not record["unknownLabels"]:
                return record
        return None


class ProcedureWalk(WalkState):
    """The whole walk in one call; a first page stops early, and the answer asks again.

    ``fallback`` makes the hop-by-hop walk, for when the procedure cannot
    be used after all (gone from the server, or labels changing under it).
    """

    def __init__(
        self,
        server: ServerWalks,
        roots: Sequence[ElementRef],
        rules: Sequence[Rule],
        max_hops: int | None,
        *,
        key: Callable[[str], str],
        fallback: Callable[[], WalkState],
    ) -> None:
        super().__init__(roots, rules, max_hops)
        self._server = server
        self._key = key
        self._make_fallback = fallback
        self._fallback: WalkState | None = None
        self._names = [r.relation.name for r in self.rules]
        self._rules = [
            {
                "name": r.relation.name,
                "type": server.mapping.name(r.relation.predicate),
                "outgoing": not r.inverse,
                "sources": sorted(r.sources),
                "entry": r.entry,
            }
            for r in self.rules
        ]

    def advance(self, stop_after: int | None = None) -> None:
        if self.done or (stop_after is not None and self.count > stop_after):
            return
        if self._fallback is None:
            record = self._server.call(self.roots, self._rules, self.max_hops, stop_after)
            if record is not None:
                self._load(record)
                return
            self._fallback = self._make_fallback()
        fallback = self._fallback
        fallback.advance(stop_after)
        self.reached, self.levels, self.count = fallback.reached, fallback.levels, fallback.count
        self.edges, self.cut, self.labels = fallback.edges, fallback.cut, fallback.labels
        self.done = fallback.done

    def _load(self, record: neo4j.Record) -> None:
        """The state from the procedure's record (see WalkResult.java for its layout)."""
        self.restart()
        reached, key, names = self.reached, self._key, self._names
        # Each field read once: a Record lookup costs a call per access.
        elements = [r.iri for r in self.roots] + record["iris"]
        first = len(self.roots)
        class_names = record["classNames"]
        classes = [class_names[c] for c in record["classes"]]
        parents, rules = record["parents"], record["rules"]
        start = first
        for size in record["levels"]:
            level = elements[start : start + size]
            hops = len(self.levels) + 1
            for i, iri in enumerate(level, start - first):
                # Entry is not reported: only the walk itself needs it.
                state = Reached(hops, elements[parents[i]], names[rules[i]], False)
                state.type, state.key = classes[i], key(iri)
                reached[iri] = state
            self.levels.append(self.level_order(level))
            self.count += size
            start += size
        edges = record["edges"]
        self.edges = [
            (elements[s], names[r], elements[t])
            for s, r, t in zip(edges[0::3], edges[1::3], edges[2::3], strict=True)
        ]
        cut = record["cut"]
        self.cut = {elements[e]: n for e, n in zip(cut[0::2], cut[1::2], strict=True)}
        self.done = record["done"]
        if self.done:
            self.labels = self._labels(record, elements, first)

    def _labels(
        self, record: neo4j.Record, elements: list[str], first: int
    ) -> dict[str, str | None]:
        """What elements.labels would give every element reached (the roots excepted)."""
        by_index = collect_labels(
            self._server.mapping,
            self._server.label_names,
            record["labelNodes"],
            record["labelKeys"],
            record["labelValues"],
        )
        found = {elements[node]: pairs for node, pairs in by_index.items()}
        unstored = {elements[i] for i in record["unstored"]}
        labels = {
            iri: pick_label(found[iri]) if iri in found else None
            for iri in elements[first:]
            if iri not in unstored
        }
        labels.update(ontology_labels(unstored))
        return labels
