"""rdflib's SPARQL parser, one thread at a time, and each query text parsed once.

rdflib parses SPARQL with a pyparsing grammar that is shared by the whole
process and is not thread-safe: the first time a parse action runs,
pyparsing works out how many arguments it takes by calling it and catching
TypeError, and two threads doing that at once leave it with the wrong count
for good. On a freshly started server, a few concurrent first writes (each
runs pySHACL, whose SPARQL-based constraints are queries) broke every later
query in the process with "postParse2() missing 1 required positional
argument" until a restart.

:func:`thread_safe_sparql` registers processors under rdflib's own plugin
name ``"sparql"`` (what ``Graph.query`` and ``Graph.update`` use by default,
pySHACL included) that parse and translate under one lock and keep the
prepared query, as rdflib's ``prepareQuery`` does, for the next use of the
same text. Evaluation runs outside the lock: a prepared query is read-only
during evaluation, and each evaluation has its own context.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from rdflib import plugin
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.processor import SPARQLProcessor, SPARQLUpdateProcessor
from rdflib.plugins.sparql.sparql import Query, Update
from rdflib.query import Processor, UpdateProcessor
from rdflib.term import Identifier

#: Held while a text is parsed and translated: pyparsing's grammar is shared.
_PARSING = threading.Lock()

#: Prepared queries kept, least recently used dropped first. The shapes hold a
#: few dozen distinct queries; the bound only matters for callers that build texts.
PREPARED_MAX = 512

_prepared: OrderedDict[tuple[str, str | None, frozenset[tuple[str, str]]], Query] = OrderedDict()


def _key(
    text: str, base: str | None, init_ns: Mapping[str, Any] | None
) -> tuple[str, str | None, frozenset[tuple[str, str]]]:
    return text, base, frozenset((k, str(v)) for k, v in (init_ns or {}).items())


def prepared_query(text: str, init_ns: Mapping[str, Any] | None, base: str | None) -> Query:
    """``text`` parsed and translated (under the parser's lock the first time it is seen)."""
    key = _key(text, base, init_ns)
    with _PARSING:
        query = _prepared.get(key)
        if query is not None:
            _prepared.move_to_end(key)
            return query
        query = translateQuery(parseQuery(text), base, init_ns or {})
        _prepared[key] = query
        if len(_prepared) > PREPARED_MAX:
            _prepared.popitem(last=False)
        return query


def prepared_update(text: str, init_ns: Mapping[str, Any] | None) -> Update:
    """An update ``text`` parsed and translated under the parser's lock (not kept: rare)."""
    with _PARSING:
        return translateUpdate(parseUpdate(text), initNs=init_ns or {})


class LockedSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL query processor, parsing through :func:`prepared_query`."""

    def query(  # type: ignore[override]  # rdflib's own signature, as its processor has it
        self,
        strOrQuery: str | Query,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        query = (
            prepared_query(strOrQuery, initNs, base) if isinstance(strOrQuery, str) else strOrQuery
        )
        return super().query(query, initBindings, initNs, base, DEBUG)


class LockedSPARQLUpdateProcessor(SPARQLUpdateProcessor):
    """rdflib's SPARQL update processor, parsing under the parser's lock."""

    def update(
        self,
        strOrQuery: str | Update,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Identifier] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
    ) -> None:
        update = prepared_update(strOrQuery, initNs) if isinstance(strOrQuery, str) else strOrQuery
        super().update(update, initBindings, initNs)


_installed = False


def thread_safe_sparql() -> None:
    """Make every ``Graph.query``/``Graph.update`` in this process parse one thread at a time.

    Idempotent and cheap: call it before running SPARQL (the SHACL gate does).
    """
    global _installed
    if _installed:
        return
    with _PARSING:
        module = __name__
        plugin.register("sparql", Processor, module, LockedSPARQLProcessor.__name__)
        plugin.register("sparql", UpdateProcessor, module, LockedSPARQLUpdateProcessor.__name__)
        _installed = True
