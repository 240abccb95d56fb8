"""GraphQL documents: parsed and validated off the event loop, once per distinct text.

A query text is parsed and validated on the document pool
(:mod:`journeykg.api.workers`), never on the event loop, and the outcome (the
document or its syntax error, and its validation errors) is kept for the next
request that sends the same text: the same few documents arrive over and
over (the bundled impact question, an integration's fixed queries).

The cache is bounded twice: by entries, and by the memory its documents hold.
The memory of a parsed document is estimated from its node count (every node
keeps its location and tokens: 300 to 520 bytes a node, measured with
tracemalloc on graphql-core 3.3) plus its text, so a few token-dense texts
cannot fill memory the way 256 entries of any size could.

Every error this step produces carries a code: a syntax error
GRAPHQL_PARSE_FAILED (QUERY_TOO_COMPLEX when the token limit stopped the
parser), a validation error GRAPHQL_VALIDATION_FAILED unless its rule gave it
one. With introspection off, errors make no "Did you mean ...?" suggestions:
they would spell out the schema that introspection keeps closed.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass

from graphql import DocumentNode, GraphQLError, GraphQLSchema, Node, parse, validate
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from journeykg.api.budget import TOO_COMPLEX
from journeykg.api.errors import masked
from journeykg.api.request_id import current_request_id
from journeykg.api.workers import off_loop

log = logging.getLogger("journeykg.api")

#: Estimated bytes one AST node holds with its location and tokens (measured: 300-520).
NODE_BYTES = 512

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"

#: Rules strawberry adds to every validation (its own ``validate_document`` does the same).
_STRAWBERRY_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)


@dataclass(frozen=True)
class Checked:
    """A query text parsed and validated: the document (None on a syntax error) and errors."""

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    size: int
    """Estimated bytes the entry holds."""


class DocumentCache:
    """Checked documents by query text, least recently used first out, within two bounds."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[str, Checked] = OrderedDict()
        # One schema (and its cache) serves every app built with the same limits,
        # each on its own event loop in tests: updates are serialised.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, text: str) -> Checked | None:
        """The checked document for ``text``, if it is kept (it becomes the most recent)."""
        with self._lock:
            checked = self._entries.get(text)
            if checked is None:
                self.misses += 1
                return None
            self._entries.move_to_end(text)
            self.hits += 1
            return checked

    def put(self, text: str, checked: Checked) -> None:
        """Keep ``checked`` for ``text``, dropping the least recent entries beyond the bounds."""
        if checked.size > self.max_bytes or self.max_entries < 1:
            return
        with self._lock:
            if text in self._entries:
                return
            self._entries[text] = checked
            self.bytes += checked.size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.bytes -= dropped.size


def node_count(document: DocumentNode) -> int:
    """How many AST nodes ``document`` holds (iteratively: documents may nest deeply)."""
    count, stack = 0, list[Node]([document])
    while stack:
        node = stack.pop()
        count += 1
        for key in node.keys:
            value = getattr(node, key, None)
            if isinstance(value, Node):
                stack.append(value)
            elif isinstance(value, tuple | list):
                stack.extend(v for v in value if isinstance(v, Node))
    return count


def check_document(
    text: str,
    schema: GraphQLSchema,
    rules: Sequence[type[ASTValidationRule]],
    max_tokens: int,
    hide_suggestions: bool,
) -> Checked:
    """Parse and validate ``text``: what a request with this text is answered, before it runs."""
    try:
        document = parse(text, max_tokens=max_tokens)
    except GraphQLError as exc:
        return Checked(None, (_syntax_error(exc, max_tokens),), sys.getsizeof(text) + NODE_BYTES)
    errors = validate(
        schema, document, (*rules, *_STRAWBERRY_RULES), hide_suggestions=hide_suggestions
    )
    for error in errors:
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": VALIDATION_FAILED}
    size = 2 * sys.getsizeof(text) + NODE_BYTES * (node_count(document) + len(errors))
    return Checked(document, tuple(errors), size)


def _syntax_error(error: GraphQLError, max_tokens: int) -> GraphQLError:
    if f"more than {max_tokens} tokens" in error.message:
        error.message += " (JOURNEYKG_MAX_QUERY_TOKENS)"
        error.extensions = {"code": TOO_COMPLEX, "limit": max_tokens}
    else:
        error.extensions = {"code": PARSE_FAILED}
    return error


def _fresh(error: GraphQLError) -> GraphQLError:
    # A cached error is raised anew for each request: raising one instance again
    # would chain every request's traceback onto it.
    return GraphQLError(
        error.message,
        error.nodes,
        error.source,
        error.positions,
        error.path,
        None,
        error.extensions,
    )


class CheckedDocuments(SchemaExtension):
    """Takes the request's document from the cache, or parses and validates it off the loop."""

    def __init__(self, cache: DocumentCache, max_tokens: int, hide_suggestions: bool) -> None:
        self.cache = cache
        self.max_tokens = max_tokens
        self.hide_suggestions = hide_suggestions
        self.checked: Checked | None = None

    async def on_parse(self) -> AsyncIterator[None]:
        context = self.execution_context
        text = context.query
        if text:  # strawberry itself refuses a request without a query
            checked = self.cache.get(text)
            if checked is None:
                try:
                    checked = await off_loop(
                        check_document,
                        text,
                        context.schema._schema,
                        tuple(context.validation_rules),
                        self.max_tokens,
                        self.hide_suggestions,
                    )
                except Exception as exc:
                    # Raised here, the error would bypass PublicErrors: masked and logged now.
                    log.exception(
                        "unexpected error checking a document (request %s)", current_request_id()
                    )
                    raise masked() from exc
                self.cache.put(text, checked)
            if checked.document is None:
                raise _fresh(checked.errors[0])
            self.checked = checked
            context.graphql_document = checked.document
        yield

    def on_validate(self) -> Iterator[None]:
        if self.checked is not None:
            self.execution_context.pre_execution_errors = list(self.checked.errors)
        yield
