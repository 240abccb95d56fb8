"""What a GraphQL request may ask for: depth, tokens, aliases, cost, page size, introspection.

Tokens use strawberry's ``MaxTokensLimiter`` (the parser stops counting at the
limit) and introspection strawberry's ``DisableIntrospection`` (graphql-core's
``NoSchemaIntrospectionCustomRule``). Depth, aliases and cost are one rule of
our own, :class:`QueryBudget`, measured in a single pass in which each fragment
is measured once and its measure reused at every spread.

Why not strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter``: in the
installed version (0.341) both do count what fragment spreads bring in (older
versions let an alias bomb through a fragment), but they walk a fragment again
at every spread. A chain of fragments that each spread the next one twice makes
that walk exponential: 16 fragments took 0.4 s of CPU, 30 would take hours, all
before the limit is reported. Measuring each fragment once keeps validation
linear in the size of the document.

The cost of an operation (docs/hardening.md)::

    cost(selections) = sum over fields f of 1 + n(f) * cost(selections of f)

    n(f) = the page size, for a field with a ``first`` argument (its literal
           value; for a variable, the variable's default, else the page cap;
           when omitted, the argument's default page size)
         = 1 for a list field of a connection (``edges``: the page is counted above)
         = LIST_SIZE for any other list field
         = 1 otherwise

Introspection fields (``__schema``, ``__type``, ``__typename``) are left out
of depth and cost (they are bounded by the schema; graphql-core's
``MaxIntrospectionDepthRule`` guards their nesting) but their aliases count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    type_from_ast,
)
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from journeykg.api.pagination import DEFAULT_PAGE, page_cap
from journeykg.settings import Settings

#: The size assumed for a list field that is not paged (owners, KPIs, paths' elements).
LIST_SIZE = 10

#: Distinct query texts whose parse and validation are kept (LRU): bounded, so
#: a client sending ever new texts cannot grow the server's memory.
DOCUMENT_CACHE_SIZE = 256

#: The extension code of a request refused for its depth, aliases or cost.
TOO_COMPLEX = "QUERY_TOO_COMPLEX"


@dataclass(frozen=True)
class QueryLimits:
    """The limits one schema enforces (hashable: schemas are cached per set of limits)."""

    max_depth: int = 15
    max_tokens: int = 2_000
    max_aliases: int = 30
    max_cost: int = 200_000
    max_page_size: int = 500
    introspection: bool = False

    @classmethod
    def of(cls, settings: Settings) -> QueryLimits:
        """The limits the settings ask for."""
        return cls(
            max_depth=settings.max_query_depth,
            max_tokens=settings.max_query_tokens,
            max_aliases=settings.max_aliases,
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
            introspection=settings.graphql_introspection,
        )

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        """Strawberry schema extensions enforcing these limits (one fresh set per request)."""
        rule = budget_rule(self)
        extensions: list[Callable[[], SchemaExtension]] = [
            lambda: MaxTokensLimiter(max_token_count=self.max_tokens),
            lambda: AddValidationRules([rule]),
            # Clients send the same few documents over and over: parsing and
            # validating one (~13 ms for the bundled impact question) is done
            # once per distinct text. Safe because every rule here looks at the
            # document only, never at variables (a page size given by a
            # variable is checked when the connection resolves), and both
            # caches are keyed by what differs between schemas (the parse by
            # its options, which carry the token limit; the validation by the
            # schema and its rules).
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: PageCap(self.max_page_size),
        ]
        if not self.introspection:
            extensions.append(DisableIntrospection)
        return extensions


class PageCap(SchemaExtension):
    """Makes the configured page cap the one connections check while the operation runs."""

    def __init__(self, cap: int) -> None:
        self.cap = cap

    def on_operation(self) -> Any:
        token = page_cap.set(self.cap)
        try:
            yield
        finally:
            page_cap.reset(token)


@dataclass(frozen=True)
class Measure:
    """How deep, how aliased and how costly a selection set is."""

    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            max(self.depth, other.depth), self.aliases + other.aliases, self.cost + other.cost
        )


class _Measurer:
    """Measures one operation; each fragment is measured once and reused at every spread."""

    def __init__(
        self, context: ValidationContext, operation: OperationDefinitionNode, limits: QueryLimits
    ) -> None:
        self.context = context
        self.limits = limits
        self.fragments = {
            d.name.value: d
            for d in context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        self.defaults: dict[str, int] = {
            v.variable.name.value: int(v.default_value.value)
            for v in operation.variable_definitions or ()
            if isinstance(v.default_value, IntValueNode)
        }
        self.measured: dict[str, Measure] = {}
        self.in_progress: set[str] = set()

    def selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType) -> Measure:
        total = Measure()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total = total + self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = type_from_ast(self.context.schema, condition) if condition else parent
                total = total + self.selections(selection.selection_set, inner or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total = total + self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> Measure:
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        # An unknown or cyclic fragment is reported by graphql-core's own rules.
        if definition is None or name in self.in_progress:
            return Measure()
        self.in_progress.add(name)
        condition = type_from_ast(self.context.schema, definition.type_condition)
        measure = self.selections(definition.selection_set, condition) if condition else Measure()
        self.in_progress.discard(name)
        self.measured[name] = measure
        return measure

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> Measure:
        alias = 1 if node.alias else 0
        if node.name.value.startswith("__"):
            return Measure(aliases=alias)
        definition = (
            parent.fields.get(node.name.value)
            if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            else None
        )
        if definition is None:  # an unknown field: FieldsOnCorrectTypeRule reports it
            return Measure(depth=1, aliases=alias, cost=1)
        inner = Measure()
        if node.selection_set:
            inner = self.selections(node.selection_set, get_named_type(definition.type))
        n = self.size(node, parent, definition.args.get("first"), definition.type)
        return Measure(
            depth=1 + inner.depth, aliases=alias + inner.aliases, cost=1 + n * inner.cost
        )

    def size(self, node: FieldNode, parent: GraphQLNamedType, first: Any, type_: Any) -> int:
        if first is not None:
            given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
            if isinstance(given, IntValueNode):
                size = int(given.value)
                if size > self.limits.max_page_size:
                    self.context.report_error(
                        GraphQLError(
                            f"first must be between 0 and {self.limits.max_page_size}, "
                            f"got {size} (field {node.name.value!r})",
                            [node],
                            extensions={"code": "BAD_REQUEST"},
                        )
                    )
                return max(size, 0)
            if isinstance(given, VariableNode):
                return self.defaults.get(given.name.value, self.limits.max_page_size)
            default = first.default_value
            return default if isinstance(default, int) else DEFAULT_PAGE
        if is_list_type(get_nullable_type(type_)):
            return 1 if parent.name.endswith("Connection") else LIST_SIZE
        return 1


def measure_operation(
    context: ValidationContext, operation: OperationDefinitionNode, limits: QueryLimits
) -> Measure:
    """The depth, alias count and estimated cost of one operation (fragments expanded)."""
    root = context.schema.get_root_type(operation.operation)
    if root is None:
        return Measure()
    return _Measurer(context, operation, limits).selections(operation.selection_set, root)


def budget_rule(limits: QueryLimits) -> type[ValidationRule]:
    """A validation rule refusing operations beyond ``limits`` (depth, aliases, cost)."""

    class QueryBudget(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            measure = measure_operation(self.context, node, limits)
            name = node.name.value if node.name else "anonymous"
            checks = (
                ("depth", measure.depth, limits.max_depth),
                ("aliases", measure.aliases, limits.max_aliases),
                ("estimated cost", measure.cost, limits.max_cost),
            )
            for what, value, limit in checks:
                if value > limit:
                    self.report_error(
                        GraphQLError(
                            f"operation {name!r} is too complex: {what} {value} exceeds the "
                            f"limit of {limit} (docs/hardening.md)",
                            [node],
                            extensions={"code": TOO_COMPLEX, "limit": limit, "value": value},
                        )
                    )

    return QueryBudget
