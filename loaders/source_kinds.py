"""The kinds of source a recipe may name, registered through Python entry points.

Every kind, journeykg's own included, is one entry point in the group ``journeykg.sources``
(pyproject.toml: ``[project.entry-points."journeykg.sources"]``). Its name is the kind a
recipe names (``kind: salesforce``); its value is the :class:`SourceKind` that the kind's
source module declares (``journeykg.loaders.sources.salesforce:KIND``). Another
distribution adds a kind the same way, without a change to journeykg
(docs/adding-a-source.md).

Lazy, as DataHub's source registry is: the names of the kinds come from the installed
distributions' metadata, and a kind's module is imported only when a recipe of that kind
is read or opened. Starting the CLI or reading one recipe never imports every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Protocol

from journeykg.ids import Identifiers
from journeykg.loaders.recipe_model import Recipe, StrictConfig
from journeykg.loaders.source import Source
from journeykg.validation.problems import LoadError, Problem

GROUP = "journeykg.sources"
_KIND_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class OpenSource(Protocol):
    """Makes the source of a checked recipe; reads nothing until ``read`` is called."""

    def __call__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> Source: ...


@dataclass(frozen=True)
class SourceKind:
    """What journeykg needs to know of a kind of source to check its recipes and open it."""

    name: str
    """The kind a recipe names (``salesforce``); the same as its entry point's name."""
    open: OpenSource
    """Makes the source (usually the source class itself)."""
    section: str | None = None
    """The recipe key holding the kind's own options (``crm``), if it has any."""
    config: type[StrictConfig] | None = None
    """The model of that section (a :class:`StrictConfig`: unknown keys are refused)."""
    section_required: bool = False
    """Whether a recipe of this kind must have the section (a CRM kind's reasons and channels)."""
    personal_fields: frozenset[str] = frozenset()
    """Input fields with personal data or free text, which the source never writes: a recipe
    whose section names one (:class:`~journeykg.loaders.recipe_model.NamesInputFields`) is
    refused, as is any name that looks like an e-mail, phone, name or address field."""
    crm: bool = False
    """A CRM kind: cases counted into contact volumes per contact reason x channel x period,
    configured by the ``crm`` section that every CRM kind shares, readable incrementally."""
    incremental: bool = False
    """Whether the source resumes after a bookmark (``mode: incremental``)."""
    input_formats: tuple[str, ...] = ()
    """The ``input.format`` values the source reads; empty: any (or none)."""

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not _KIND_NAME.match(self.name):
            problems.append("its name is lower-case letters, digits and hyphens")
        if (self.section is None) != (self.config is None):
            problems.append("a section and its config model come together")
        if self.section_required and self.section is None:
            problems.append("a required section needs a section name")
        if self.section in Recipe.model_fields:
            problems.append(f"its section cannot be {self.section!r}, a key every recipe has")
        if self.crm and (self.section != "crm" or not self.incremental):
            problems.append("a CRM kind has the 'crm' section and reads incrementally")
        if problems:
            raise ValueError(f"source kind {self.name!r}: " + "; ".join(problems))


class SourceKindError(LoadError):
    """A kind cannot be used: no distribution registers it, or its plug-in does not load."""


class UnknownKindError(SourceKindError):
    """No installed distribution registers this kind (the message names the ones that do)."""


def kind_names() -> list[str]:
    """The registered kinds, sorted, without importing any source module."""
    return sorted(_registered())


def source_kind(name: str) -> SourceKind:
    """The kind ``name``; its module is imported on first use.

    Raises :class:`UnknownKindError` (naming the kinds there are) when no distribution
    registers it, :class:`SourceKindError` when its plug-in cannot be loaded."""
    found = _loaded.get(name)
    if found is not None:
        return found
    points = _registered().get(name)
    if not points:
        message = (
            f"unknown kind {name!r}: the kinds available are {', '.join(kind_names())} "
            "(a plug-in adds others: docs/adding-a-source.md)"
        )
        raise UnknownKindError(message, [Problem(name, "known kind", message)])
    if len(points) > 1:
        raise _plugin_error(
            name,
            "is registered by more than one distribution: "
            + ", ".join(f"{_distribution(p)} ({p.value})" for p in points),
        )
    (point,) = points
    try:
        loaded = point.load()
    except Exception as exc:  # a plug-in's import can fail in any way; say which and why
        raise _plugin_error(
            name, f"cannot be loaded from {point.value}: {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(loaded, SourceKind):
        raise _plugin_error(name, f"{point.value} is a {type(loaded).__name__}, not a SourceKind")
    if loaded.name != name:
        raise _plugin_error(name, f"{point.value} declares the kind {loaded.name!r}")
    _loaded[name] = loaded
    return loaded


def loadable_kinds() -> list[SourceKind]:
    """Every registered kind that loads (imports every source module: for error messages)."""
    kinds: list[SourceKind] = []
    for name in kind_names():
        try:
            kinds.append(source_kind(name))
        except SourceKindError:
            continue  # its own recipes report why; here it is one kind fewer to suggest
    return kinds


def open_source(
    recipe: Recipe,
    ids: Identifiers,
    *,
    payload: bytes | None = None,
    recipe_dir: Path | None = None,
) -> Source:
    """The source ``recipe`` describes.

    With ``payload`` (the body of ``POST /sync/{source}``) it reads that one input in the
    recipe's format instead of the recipe's files. Input paths are relative to
    ``recipe_dir`` (default: the directory the recipe was loaded from, else the working
    directory). Nothing is read until ``read`` is called.
    """
    return source_kind(recipe.kind).open(recipe, ids, payload=payload, recipe_dir=recipe_dir)


def rescan() -> None:
    """Forget the kinds found so far: the next look-up reads the installed distributions
    again (after a plug-in is installed into, or put on the path of, a running process)."""
    _registered.cache_clear()
    _loaded.clear()


#: Kinds loaded so far, by name (a failed load is not kept: it is retried, and fails alike).
_loaded: dict[str, SourceKind] = {}


@cache
def _registered() -> dict[str, list[EntryPoint]]:
    found: dict[str, list[EntryPoint]] = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, []).append(point)
    return found


def _distribution(point: EntryPoint) -> str:
    dist = point.dist
    return dist.name if dist is not None else "an unnamed distribution"


def _plugin_error(name: str, why: str) -> SourceKindError:
    message = f"source kind {name!r} {why}"
    return SourceKindError(message, [Problem(name, "source kind loads", message)])
