"""Every ID a GraphQL request passes is checked before anything runs: BAD_REQUEST, naming it.

An ID names an element by key or IRI (journeykg/ids.py); one that cannot
be an IRI (``"a b"``) used to reach the store and fail there, as INTERNAL
in some fields (``auditTrail(element:)``) and BAD_REQUEST without saying
which argument in others. Here each argument of the operation (with its
variables, and the ID fields of input objects at any depth) is checked
once the document is valid, and an operation with a bad ID is refused
whole, each error naming the field, the argument path and the rule:

    proposeConcept(input.explains[1]): 'a b' is not a valid id: it contains ' ' (...)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from journeykg.ids import ID_RULE, id_problem

BAD_REQUEST = "BAD_REQUEST"


class CheckIdArguments(SchemaExtension):
    """Refuses an operation that passes an ID which cannot name an element."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        document, schema = execution.graphql_document, execution.schema._schema
        if document is not None:
            finder = _BadIds(TypeInfo(schema), execution.variables or {})
            visit(document, TypeInfoVisitor(finder.type_info, finder))
            if finder.errors:
                # Set before execution: strawberry then runs nothing.
                execution.result = ExecutionResult(data=None, errors=finder.errors)
        yield


class _BadIds(Visitor):
    def __init__(self, type_info: TypeInfo, variables: Mapping[str, Any]) -> None:
        super().__init__()
        self.type_info = type_info
        self.variables = variables
        self.defaults: dict[str, ValueNode] = {}
        self.fields: list[str] = []
        self.errors: list[GraphQLError] = []

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        self.defaults = {
            d.variable.name.value: d.default_value
            for d in node.variable_definitions or ()
            if d.default_value is not None
        }

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.fields.append(node.name.value)

    def leave_field(self, node: FieldNode, *_: Any) -> None:
        self.fields.pop()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        argument = self.type_info.get_argument()
        if argument is None or not _holds_ids(argument.type):
            return
        field = self.fields[-1] if self.fields else "?"
        for path, ident in self._in_node(node.value, argument.type, node.name.value):
            problem = id_problem(ident)
            if problem is not None:
                where = f"{field}({path})"
                self.errors.append(
                    GraphQLError(
                        f"{where}: {ident!r} is not a valid id: {problem} ({ID_RULE})",
                        nodes=[node],
                        extensions={"code": BAD_REQUEST, "field": where, "rule": ID_RULE},
                    )
                )

    def _in_node(
        self, value: ValueNode, type_: GraphQLInputType, path: str
    ) -> Iterator[tuple[str, str]]:
        """The (path, id) pairs in a literal (variables looked up)."""
        if isinstance(value, VariableNode):
            name = value.name.value
            if name in self.variables:
                yield from _in_json(self.variables[name], type_, path)
            elif name in self.defaults:
                yield from self._in_node(self.defaults[name], type_, path)
            return
        if isinstance(type_, GraphQLNonNull):
            yield from self._in_node(value, type_.of_type, path)
        elif isinstance(type_, GraphQLList):
            items = value.values if isinstance(value, ListValueNode) else (value,)
            for n, item in enumerate(items):
                yield from self._in_node(item, type_.of_type, f"{path}[{n}]")
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, ObjectValueNode):
            for field in value.fields:
                inner = type_.fields.get(field.name.value)
                if inner is not None and _holds_ids(inner.type):
                    yield from self._in_node(field.value, inner.type, f"{path}.{field.name.value}")
        elif type_ is GraphQLID and isinstance(value, StringValueNode | IntValueNode):
            yield path, value.value


def _in_json(value: Any, type_: GraphQLInputType, path: str) -> Iterator[tuple[str, str]]:
    """The (path, id) pairs in a variable's value as sent (JSON)."""
    if isinstance(type_, GraphQLNonNull):
        yield from _in_json(value, type_.of_type, path)
    elif isinstance(type_, GraphQLList):
        items = value if isinstance(value, list) else [value]
        for n, item in enumerate(items):
            yield from _in_json(item, type_.of_type, f"{path}[{n}]")
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in type_.fields.items():
            if name in value and _holds_ids(field.type):
                yield from _in_json(value[name], field.type, f"{path}.{name}")
    elif type_ is GraphQLID and isinstance(value, str):
        yield path, value


def _holds_ids(type_: GraphQLInputType, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of ``type_`` can contain an ID (input objects may refer to themselves)."""
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    if type_ is GraphQLID:
        return True
    if isinstance(type_, GraphQLInputObjectType) and type_.name not in seen:
        return any(_holds_ids(f.type, seen | {type_.name}) for f in type_.fields.values())
    return False
