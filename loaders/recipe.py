"""Sync recipes: a YAML file that says what a source is, where its input is and how to map it.

``load_recipe(path)`` parses and checks a recipe; every mistake is reported
with the file, the key path (``crm.reasons``), the line and the rule, and no
key that the model does not know is accepted. The sync engine reads
``name``, ``kind``, ``mode`` and ``retire_max_share``; the sources read the
rest. The format, with an example per kind, is documented in
docs/sync-recipes.md.

    name: salesforce-service-cloud  # source name: first half of every upsert key
    kind: salesforce      # a registered kind: rdf | csv-bundle | salesforce | survey | ...
    mode: full            # full | incremental
    retire_max_share: 0.05  # a full sync retires at most this share of the source's records
    input:
      files: [cases/page-*.json]  # relative to the recipe; globs, read in sorted order
      format: rest-json   # salesforce: rest-json | bulk-csv; rdf: turtle | json-ld | nt ...
    crm: { ... }          # the kind's own section, checked by the model its kind declares

The keys every recipe has are :class:`~journeykg.loaders.recipe_model.Recipe`'s; what a kind
adds (its section, the personal fields a recipe may not name, whether it reads
incrementally, its input formats) comes from the kind's entry in
:mod:`journeykg.loaders.source_kinds`. Only the named kind's module is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from journeykg.loaders.recipe_model import InputSpec, NamesInputFields, Recipe, StrictConfig
from journeykg.loaders.source_kinds import (
    SourceKind,
    SourceKindError,
    UnknownKindError,
    loadable_kinds,
    source_kind,
)
from journeykg.validation.problems import LoadError, Problem

__all__ = ["InputSpec", "Recipe", "RecipeError", "load_recipe", "parse_recipe"]

#: Field names that look like personal data whatever the kind: a recipe may not name them.
_PERSONAL_PATTERN = re.compile(
    r"(?i)(e-?mail|phone|mobile|first_?name|last_?name|full_?name|address|birth|iban|bsn)"
)


class RecipeError(LoadError):
    """The recipe cannot be read or used; ``problems`` name the file, key path, line and rule."""


def load_recipe(path: Path) -> Recipe:
    """Parse and check the YAML recipe at ``path``; raise :class:`RecipeError` if it is wrong."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecipeError(
            f"cannot read recipe {file}", [Problem(file, "recipe: readable", str(exc))]
        ) from None
    recipe = parse_recipe(text, file)
    recipe._base_dir = path.resolve().parent
    return recipe


def parse_recipe(text: str, file: str = "<recipe>") -> Recipe:
    """Parse and check recipe text; ``file`` names it in problems."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except RecursionError:
        raise RecipeError(
            f"recipe {file} is nested too deeply",
            [Problem(file, "recipe: YAML nesting", "the recipe is nested too deeply to read")],
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecipeError(
            f"recipe {file} is not valid YAML",
            [Problem(file, "recipe: YAML syntax", str(reason), line=line)],
        ) from None
    duplicates = list(_duplicate_keys(root, ()))
    if duplicates:
        raise RecipeError(
            f"recipe {file} has duplicate keys",
            [
                Problem(
                    file,
                    "recipe: unique keys",
                    "this key appears twice in the same mapping",
                    line=line,
                    property=_dotted(loc),
                )
                for loc, line in duplicates
            ],
        )
    if not isinstance(data, dict):
        raise RecipeError(
            f"recipe {file} is not a mapping",
            [Problem(file, "recipe: mapping", "a recipe is a YAML mapping (name: ..., kind: ...)")],
        )
    return _Checker(data, root, file).recipe()


@dataclass(frozen=True)
class _Error:
    """One thing wrong, before it is placed in the file: key path, rule and message."""

    loc: tuple[Any, ...]
    type: str
    message: str
    value: str | None = None


class _Checker:
    """Checks a recipe's mapping in two steps, as a person fixes one: first every key and
    value (the keys every recipe has, and the kind's section with the kind's model), then,
    once those are right, what the kind asks of the recipe as a whole."""

    def __init__(self, data: dict[Any, Any], root: yaml.Node | None, file: str) -> None:
        self.data = data
        self.root = root
        self.file = file

    def recipe(self) -> Recipe:
        kind, errors = self._kind()
        section = kind.section if kind is not None else None
        foreign, foreign_errors = self._foreign_sections(kind)
        errors += foreign_errors
        common = {k: v for k, v in self.data.items() if k != section and k not in foreign}
        recipe: Recipe | None = None
        try:
            recipe = Recipe.model_validate(common)
        except ValidationError as exc:
            errors += [_pydantic_error(error, ()) for error in exc.errors()]
        config: StrictConfig | None = None
        if kind is not None and kind.config is not None and section is not None:
            value = self.data.get(section)
            if value is not None:
                try:
                    config = kind.config.model_validate(value)
                except ValidationError as exc:
                    errors += [_pydantic_error(error, (section,)) for error in exc.errors()]
        if not errors and kind is not None and recipe is not None:
            errors = _kind_rules(kind, recipe, config)
        if errors or recipe is None:
            problems = [self._problem(error) for error in errors]
            raise RecipeError(
                f"recipe {self.file} is not valid: {len(problems)} problem(s)", problems
            )
        recipe._section = config
        recipe._file = self.file
        recipe._lines = _key_lines(self.root, ())
        return recipe

    def _kind(self) -> tuple[SourceKind | None, list[_Error]]:
        """The recipe's kind from the registry, or the error that says why there is none.

        A kind that is not text is left to the model, which says what it should be."""
        name = self.data.get("kind")
        if not isinstance(name, str) or not name:
            return None, []
        try:
            return source_kind(name), []
        except UnknownKindError as exc:
            return None, [_Error(("kind",), "unknown kind", exc.summary, name)]
        except SourceKindError as exc:
            return None, [_Error(("kind",), "kind loads", exc.summary, name)]

    def _foreign_sections(self, kind: SourceKind | None) -> tuple[set[str], list[_Error]]:
        """Keys of the recipe that are other kinds' sections (``bpmn`` in an ``rdf`` recipe).

        Only when the recipe has a key no recipe of its kind has are the other kinds loaded,
        to tell a section in the wrong recipe from a misspelt key."""
        own = {*Recipe.model_fields, *([kind.section] if kind is not None else [])}
        unknown = [key for key in self.data if key not in own]
        if not unknown:
            return set(), []
        sections = {k.section for k in loadable_kinds() if k.section is not None}
        foreign = {key for key in unknown if key in sections}
        if kind is None:  # the kind's own error says what is wrong
            return foreign, []
        return foreign, [
            _Error(
                (key,),
                "value_error",
                f"section '{key}' does not apply to kind {kind.name!r}",
            )
            for key in sorted(foreign)
        ]

    def _problem(self, error: _Error) -> Problem:
        return Problem(
            self.file,
            f"recipe: {error.type}",
            error.message,
            line=_line_of(self.root, error.loc),
            property=_dotted(error.loc) or None,
            value=error.value,
        )


def _kind_rules(kind: SourceKind, recipe: Recipe, config: StrictConfig | None) -> list[_Error]:
    """What ``kind`` asks of a recipe whose keys and values are each right."""
    errors: list[_Error] = []
    if kind.section_required and config is None and kind.section and kind.config:
        fields = kind.config.model_fields
        required = [name for name, field in fields.items() if field.is_required()]
        errors.append(
            _Error(
                (kind.section,),
                "value_error",
                f"kind {kind.name!r} needs a '{kind.section}' section ({_listed(required)})",
            )
        )
    if recipe.mode == "incremental" and not kind.incremental:
        incremental = [k.name for k in loadable_kinds() if k.incremental]
        errors.append(
            _Error(
                ("mode",),
                "value_error",
                f"kind {kind.name!r} has no change timestamps to resume from: use mode 'full' "
                f"(incremental works for {', '.join(incremental)})",
                recipe.mode,
            )
        )
    if kind.input_formats and recipe.input.format not in (None, *kind.input_formats):
        errors.append(
            _Error(
                ("input", "format"),
                "value_error",
                f"{kind.name} input.format is " + " or ".join(map(repr, kind.input_formats)),
                recipe.input.format,
            )
        )
    if isinstance(config, NamesInputFields) and kind.section is not None:
        for path, name in config.named_fields():
            if name in kind.personal_fields or _PERSONAL_PATTERN.search(name):
                errors.append(
                    _Error(
                        (kind.section, *_loc_of(path)),
                        "value_error",
                        f"{kind.section}.{path} names {name!r}, a field with personal data or "
                        "free text; journeykg never reads it",
                        name,
                    )
                )
    return errors


def _listed(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _loc_of(path: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in path.split("."))


def _pydantic_error(error: Any, prefix: tuple[Any, ...]) -> _Error:
    return _Error(
        (*prefix, *error["loc"]),
        str(error["type"]),
        _message(error),
        _shown(error.get("input")) if error["type"] != "missing" else None,
    )


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key: recipes accept only the keys documented in docs/sync-recipes.md"
    if error["type"] == "missing":
        return "this key is required"
    return str(error["msg"]).removeprefix("Value error, ")


def _shown(value: Any) -> str | None:
    if isinstance(value, str | int | float | bool):
        return str(value)
    return None


def _dotted(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _line_of(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the YAML node at ``loc`` (or of its nearest existing ancestor)."""
    if node is None:
        return None
    for depth, part in enumerate(loc, start=1):
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    # the key's own line for the key at fault (its value may start below it)
                    last = depth == len(loc)
                    child = key if last or isinstance(value, yaml.ScalarNode) else value
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(node.value)
        ):
            child = node.value[part]
        if child is None:
            break
        node = child
    return int(node.start_mark.line) + 1


def _key_lines(node: yaml.Node | None, loc: tuple[str, ...]) -> dict[str, int]:
    """Key path (``crm.escalation.field``) -> the line of its key, for every key of the
    recipe: a source that finds a setting wrong against its data names the line."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*loc, str(key.value) if isinstance(key, yaml.ScalarNode) else "?")
            lines[".".join(path)] = int(key.start_mark.line) + 1
            lines.update(_key_lines(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = (*loc, str(i))
            lines[".".join(path)] = int(item.start_mark.line) + 1
            lines.update(_key_lines(item, path))
    return lines


def _duplicate_keys(
    node: yaml.Node | None, loc: tuple[str, ...]
) -> list[tuple[tuple[str, ...], int]]:
    found: list[tuple[tuple[str, ...], int]] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            if name in seen:
                found.append(((*loc, name), int(key.start_mark.line) + 1))
            seen.add(name)
            found.extend(_duplicate_keys(value, (*loc, name)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found.extend(_duplicate_keys(item, (*loc, str(i))))
    return found
