"""How deep, how aliased and how costly a GraphQL operation is, and the rules refusing too much.

One pass over an operation measures all three, measuring each fragment once
and reusing its measure at every spread, so the work stays linear in the size
of the document however the fragments nest (docs/hardening.md says why
strawberry's own depth and alias limiters are not used).

The cost of an operation (docs/hardening.md)::

    cost(selections) = sum over fields f of 1 + n(f) * cost(selections of f)

    n(f) = size(f) * items(f)

    size(f) = the page size, for a field with a ``first`` argument (its literal
              value; for a variable, the variable's default, else the page cap;
              when omitted, the argument's default page size)
            = 1 for a list field of a connection (``edges``: the page is counted above)
            = LIST_SIZE for any other list field
            = 1 otherwise
    items(f) = the length of the list argument whose every item repeats f's work
               (declared with :func:`costed_per_item`: whatIf and saveScenario per
               change), else 1

A list argument given by a variable is 1 item while the document is validated
(validation is cached per text and cannot see variables) and its real length
when the operation is measured again with the request's variables
(:class:`VariableBudget`), before anything runs.

Introspection fields (``__schema``, ``__type``, ``__typename``) are left out
of depth and cost (they are bounded by the schema; graphql-core's
``MaxIntrospectionDepthRule`` guards their nesting) but their aliases count.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
    type_from_ast,
)
from strawberry.extensions import SchemaExtension

from journeykg.api.pagination import DEFAULT_PAGE
from journeykg.api.workers import off_loop

#: The size assumed for a list field that is not paged (owners, KPIs, paths' elements).
LIST_SIZE = 10

#: The extension code of a request refused for its depth, aliases, cost or list lengths.
TOO_COMPLEX = "QUERY_TOO_COMPLEX"

#: Field metadata naming the list argument whose every item repeats the field's work.
_PER_ITEM = "journeykg.cost.per_item"


def costed_per_item(argument: str) -> dict[str, str]:
    """Field metadata: the field's work repeats for every item of ``argument`` (a list).

    ``@strawberry.field(metadata=costed_per_item("changes"))`` makes the field's
    cost its selection's cost times the number of changes.
    """
    return {_PER_ITEM: argument}


@dataclass(frozen=True)
class Budget:
    """The limits one operation must stay within."""

    max_depth: int
    max_aliases: int
    max_cost: int
    max_page_size: int
    max_list_items: int


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


Report = Callable[[GraphQLError], None]


class _Measurer:
    """Measures one operation; each fragment is measured once and reused at every spread."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        budget: Budget,
        report: Report,
        variables: Mapping[str, Any] | None,
    ) -> None:
        self.schema = schema
        self.budget = budget
        self.report = report
        self.variables = variables
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
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
                inner = type_from_ast(self.schema, condition) if condition else parent
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
        condition = type_from_ast(self.schema, definition.type_condition)
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
        n = self.size(node, parent, definition) * self.items(node, definition)
        return Measure(
            depth=1 + inner.depth, aliases=alias + inner.aliases, cost=1 + n * inner.cost
        )

    def size(self, node: FieldNode, parent: GraphQLNamedType, definition: GraphQLField) -> int:
        first = definition.args.get("first")
        if first is not None:
            given = _argument(node, "first")
            if isinstance(given, IntValueNode):
                size = int(given.value)
                if size > self.budget.max_page_size:
                    self.report(
                        GraphQLError(
                            f"first must be between 0 and {self.budget.max_page_size}, "
                            f"got {size} (field {node.name.value!r})",
                            [node],
                            extensions={"code": "BAD_REQUEST"},
                        )
                    )
                return max(size, 0)
            if isinstance(given, VariableNode):
                return self.defaults.get(given.name.value, self.budget.max_page_size)
            default = first.default_value
            return default if isinstance(default, int) else DEFAULT_PAGE
        if is_list_type(get_nullable_type(definition.type)):
            return 1 if parent.name.endswith("Connection") else LIST_SIZE
        return 1

    def items(self, node: FieldNode, definition: GraphQLField) -> int:
        strawberry_field = (definition.extensions or {}).get("strawberry-definition")
        argument = getattr(strawberry_field, "metadata", {}).get(_PER_ITEM)
        if argument is None:
            return 1
        given = _argument(node, argument)
        if isinstance(given, ListValueNode):
            return max(len(given.values), 1)
        if isinstance(given, VariableNode) and self.variables is not None:
            value = self.variables.get(given.name.value)
            return max(len(value), 1) if isinstance(value, list) else 1
        return 1


def _argument(node: FieldNode, name: str) -> Any:
    return next((a.value for a in node.arguments or () if a.name.value == name), None)


def measure_operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    budget: Budget,
    report: Report,
    variables: Mapping[str, Any] | None = None,
) -> Measure:
    """The depth, alias count and estimated cost of one operation (fragments expanded).

    ``variables`` (the request's) give list arguments their real length;
    without them a list given by a variable counts as one item. Page sizes
    beyond the cap met on the way are passed to ``report``.
    """
    root = schema.get_root_type(operation.operation)
    if root is None:
        return Measure()
    measurer = _Measurer(schema, document, operation, budget, report, variables)
    return measurer.selections(operation.selection_set, root)


def excesses(
    operation: OperationDefinitionNode, measure: Measure, budget: Budget
) -> Iterator[GraphQLError]:
    """An error for each of depth, aliases and cost that ``measure`` puts beyond ``budget``."""
    name = operation.name.value if operation.name else "anonymous"
    checks = (
        ("depth", measure.depth, budget.max_depth, "MAX_QUERY_DEPTH"),
        ("aliases", measure.aliases, budget.max_aliases, "MAX_ALIASES"),
        ("estimated cost", measure.cost, budget.max_cost, "MAX_QUERY_COST"),
    )
    for what, value, limit, setting in checks:
        if value > limit:
            yield GraphQLError(
                f"operation {name!r} is too complex: {what} {value} exceeds the limit of "
                f"{limit} (JOURNEYKG_{setting}, docs/hardening.md)",
                [operation],
                extensions={"code": TOO_COMPLEX, "limit": limit, "value": value},
            )


def budget_rule(budget: Budget) -> type[ValidationRule]:
    """A validation rule refusing operations beyond ``budget`` and lists longer than it allows."""

    class QueryBudget(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            context = self.context
            measure = measure_operation(
                context.schema, context.document, node, budget, context.report_error
            )
            for error in excesses(node, measure, budget):
                self.report_error(error)

        def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
            if len(node.values) > budget.max_list_items:
                self.report_error(
                    GraphQLError(
                        f"a list of {len(node.values)} items is more than the limit of "
                        f"{budget.max_list_items} (JOURNEYKG_MAX_LIST_ITEMS)",
                        [node],
                        extensions={"code": TOO_COMPLEX, "limit": budget.max_list_items},
                    )
                )

    return QueryBudget


class VariableBudget(SchemaExtension):
    """Measures the operation again with the request's variables before it runs.

    Validation, cached per query text, counted a list given by a variable as
    one item; here its real length counts (a whatIf of 80 changes costs its
    selection 80 times). An operation over the budget is answered with the
    error instead of being run.
    """

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None and context.variables:
            operation = get_operation_ast(document, context.operation_name)
            if operation is not None and operation.variable_definitions:
                errors = await off_loop(
                    self._check, context.schema._schema, document, operation, context.variables
                )
                if errors:
                    context.result = ExecutionResult(data=None, errors=errors)
        yield

    def _check(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> list[GraphQLError]:
        # Page sizes were checked during validation; only the three limits matter here.
        measure = measure_operation(
            schema, document, operation, self.budget, lambda _: None, variables
        )
        return list(excesses(operation, measure, self.budget))
