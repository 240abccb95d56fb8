"""A sync recipe as data: the keys every recipe has, and the parts a kind's section is made of.

A recipe's own section (``crm:``, ``survey:``, ``bpmn:``) is a model that its kind's source
module declares (:mod:`journeykg.loaders.source_kinds`); :mod:`journeykg.loaders.recipe`
reads the YAML and checks the keys here and that section together. The format is documented
in docs/sync-recipes.md, adding a kind in docs/adding-a-source.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, TypeVar, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Period = Literal["month", "quarter", "year"]

#: A key of the journeykg model (``reason/nummer-meenemen``) or an IRI: text without spaces.
ModelKey = Annotated[str, Field(pattern=r"^[^\s]+$")]


class StrictConfig(BaseModel):
    """A part of a recipe: unknown keys are refused and nothing changes after it is read.

    Every kind's section model derives from it, so that a misspelt key is an error that
    names its path, never an option silently left at its default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _text_keys(cls, data: Any) -> Any:
        """YAML reads ``1: channel/telefoon`` with an integer key; CRM codes are text here."""
        if isinstance(data, dict):
            return {k: _text_keys_of(v) for k, v in data.items()}
        return data


ConfigT = TypeVar("ConfigT", bound=StrictConfig)


@runtime_checkable
class NamesInputFields(Protocol):
    """A section that names fields of the input (a CRM payload's): the recipe refuses the
    ones that hold personal data (see :attr:`SourceKind.personal_fields`)."""

    def named_fields(self) -> list[tuple[str, str]]:
        """(key path within the section, field name) of every input field the section names."""
        ...


#: How exports spell yes and no (case-insensitive): JSON and YAML booleans, the digits
#: spreadsheets and CRMs write, and English and Dutch words. docs/sync-recipes.md lists them.
TRUE_SPELLINGS = frozenset({"true", "1", "yes", "ja"})
FALSE_SPELLINGS = frozenset({"false", "0", "no", "nee"})
#: The spellings of yes/no that are words, not digits: a rule on them is a yes/no rule.
_BOOLEAN_WORDS = (TRUE_SPELLINGS | FALSE_SPELLINGS) - {"1", "0"}


def boolean_text(value: str) -> str | None:
    """``"true"`` or ``"false"`` for a documented spelling of yes or no, else None."""
    folded = value.strip().lower()
    if folded in TRUE_SPELLINGS:
        return "true"
    if folded in FALSE_SPELLINGS:
        return "false"
    return None


def number_text(value: str) -> str | None:
    """A number in one spelling (``1.0``, ``01`` and ``1`` are ``1``; ``2.50`` is ``2.5``),
    or None if ``value`` is not a finite number."""
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    number = number.normalize()
    if number == number.to_integral_value():
        return str(int(number))
    return format(number, "f")


class ValueRule(StrictConfig):
    """A record matches when ``field`` holds one of ``values``.

    A CRM section takes its rules through :meth:`as_typed`: a rule whose values are yes/no
    words (``[true]``, ``[yes]``, ``[ja]``) becomes a yes/no rule, and the source reads the
    field's value in any documented spelling (:data:`TRUE_SPELLINGS`, :data:`FALSE_SPELLINGS`).
    Digits alone (``[1]``) stay numbers: an option set's 1 is not "yes"; a field a number
    rule reads matches by value (``1``, ``1.0`` and ``01`` are one number).
    """

    field: str = Field(min_length=1)
    values: list[str] = Field(min_length=1)

    @field_validator("values", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [scalar_text(v) for v in value]
        return value

    def as_typed(self) -> ValueRule:
        """This rule with its values in one spelling: ``"true"`` / ``"false"`` if they are
        yes/no words (``[true]``, ``[Yes]``, ``[ja]``), numbers as :func:`number_text` writes
        them (``[1.0]`` is ``1``), else the rule itself. A section whose source reads its
        fields' values the same way (the CRM kinds) takes its rules through this."""
        folded = [v.strip().lower() for v in self.values]
        if set(folded) & _BOOLEAN_WORDS and all(boolean_text(v) is not None for v in folded):
            return self.model_copy(update={"values": [boolean_text(v) for v in folded]})
        numbers = [number_text(v) for v in self.values]
        if all(n is not None for n in numbers) and numbers != self.values:
            return self.model_copy(update={"values": numbers})
        return self

    @property
    def is_yes_no(self) -> bool:
        """Whether this is a yes/no rule (:meth:`as_typed` gave it its values)."""
        return set(self.values) <= {"true", "false"}

    @property
    def is_number(self) -> bool:
        """Whether every value is a number (an option set's code, a priority)."""
        return all(number_text(v) == v for v in self.values)


def check_zone(value: str) -> str:
    """``value`` if it is an IANA time zone; a ValueError naming it if not."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {value!r} (use an IANA name such as Europe/Amsterdam)"
        ) from None
    return value


class InputSpec(StrictConfig):
    """Where the input is: files (globs) relative to the recipe's directory."""

    files: list[str] = Field(default_factory=list)
    format: str | None = None
    """Salesforce: ``rest-json`` (default) or ``bulk-csv``; RDF: an rdflib format name."""
    encoding: str | None = None
    """The text encoding of CSV input (``latin-1``, ``cp1252``); UTF-8, with or without a
    byte order mark, if not given. ``journeykg sync --encoding`` sets it for one run."""


class Recipe(StrictConfig):
    """A parsed, checked sync recipe: the keys every recipe has, and its kind's section."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100)
    kind: str = Field(min_length=1)
    """A registered kind (:func:`journeykg.loaders.source_kinds.kind_names`)."""
    mode: Literal["full", "incremental"] = "full"
    retire_max_share: float = Field(default=0.05, ge=0.0, le=1.0)
    description: str | None = None
    input: InputSpec = Field(default_factory=InputSpec)
    batch_size: int = Field(default=500, ge=1, le=100_000)

    # Not fields: a recipe's YAML cannot set them; the reader does.
    _section: StrictConfig | None = PrivateAttr(default=None)
    _base_dir: Path | None = PrivateAttr(default=None)
    _file: str | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    @property
    def base_dir(self) -> Path | None:
        """The directory of the recipe file (input paths are relative to it), if loaded from one."""
        return self._base_dir

    @property
    def file(self) -> str:
        """The recipe's file as problems name it (``<recipe>`` if it was given as text)."""
        return self._file or "<recipe>"

    def line_of(self, path: str) -> int | None:
        """The line of the setting at key path ``path`` (``crm.escalation.field``), or of its
        nearest ancestor the recipe has; None for a recipe not read from YAML."""
        parts = path.split(".")
        while parts:
            line = self._lines.get(".".join(parts))
            if line is not None:
                return line
            parts.pop()
        return None

    @property
    def config(self) -> StrictConfig | None:
        """The kind's own section (``crm:``, ``survey:``) as its model, if the recipe has one."""
        return self._section

    def section(self, model: type[ConfigT]) -> ConfigT | None:
        """The kind's section as ``model`` (None if the recipe has none).

        A source asks for its own model; any other is a programming error (TypeError)."""
        section = self._section
        if section is None:
            return None
        if not isinstance(section, model):
            raise TypeError(
                f"recipe {self.name}: the {self.kind} section is a "
                f"{type(section).__name__}, not a {model.__name__}"
            )
        return section


def _text_keys_of(value: Any) -> Any:
    if isinstance(value, dict):
        return {scalar_text(k): v for k, v in value.items()}
    return value


def scalar_text(value: Any) -> Any:
    """A YAML scalar as the text a payload holds: ``true``/``false``, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value
