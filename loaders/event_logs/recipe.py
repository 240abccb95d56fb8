"""Mining recipes: which log, which journey, and how its events map onto the design.

A mining recipe is YAML checked as strictly as a sync recipe (unknown keys refused,
each mistake named with its key path and line); docs/mining.md documents the format::

    name: verhuizen-web           # names the run in provenance
    journey: journey/verhuizen    # the designed journey the log is mined against
    input:
      file: verhuizen.ocel.json   # relative to the recipe
      format: ocel-json           # ocel-json | ocel-xml | ocel-sqlite | xes | csv
    case: case                    # OCEL: object type of the case; XES/CSV: see fields
    customer: customer            # OCEL: object type of the customer; XES: trace attribute
    fields: {channel: channel, reason: reason}   # event attributes (CSV: also case, ...)
    activities:                   # every activity of the log: a step (and touchpoint) or ignore
      Verhuizing doorgeven: {step: step/verhuizen-doorgeven, touchpoint: touchpoint/...}
    ignore: [Nieuwsbrief geopend]
    channels: {web: channel/web, telefoon: channel/telefoon}
    reasons: {verhuizing: reason/verhuizen}
    period: month                 # month | quarter | year
    repeat_days: 7                # a contact again within this many days is a repeat
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, PrivateAttr, ValidationError

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.recipe_model import ModelKey, StrictConfig
from journeykg.mining.periods import Granularity
from journeykg.validation.problems import Problem

LogFormat = Literal["ocel-json", "ocel-xml", "ocel-sqlite", "xes", "csv"]


class LogInput(StrictConfig):
    file: str = Field(min_length=1)
    format: LogFormat
    delimiter: str = Field(default=",", min_length=1, max_length=1)


class ActivityMapping(StrictConfig):
    step: ModelKey
    touchpoint: ModelKey | None = None


class Fields(StrictConfig):
    """Where the log keeps each thing. OCEL and XES have the activity and time in fixed
    places; a CSV export names all its columns."""

    case: str | None = None
    customer: str | None = None
    activity: str | None = None
    time: str | None = None
    channel: str | None = None
    reason: str | None = None


class MiningRecipe(StrictConfig):
    name: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    journey: ModelKey
    input: LogInput
    case: str = "case"
    customer: str | None = None
    fields: Fields = Fields()
    activities: dict[str, ActivityMapping] = Field(min_length=1)
    ignore: list[str] = Field(default_factory=list)
    channels: dict[str, ModelKey] = Field(default_factory=dict)
    reasons: dict[str, ModelKey] = Field(default_factory=dict)
    period: Granularity = "month"
    repeat_days: int = Field(default=7, gt=0)

    _file: str = PrivateAttr(default="<recipe>")
    _base_dir: Path = PrivateAttr(default=Path("."))

    @property
    def file(self) -> str:
        return self._file

    def log_path(self) -> Path:
        """The event log, relative to the recipe's folder."""
        return self._base_dir / self.input.file


def load_mining_recipe(path: Path) -> MiningRecipe:
    """Parse and check the mining recipe at ``path``; raise :class:`EventLogError` if wrong."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        raise EventLogError(
            f"cannot read recipe {file}", [Problem(file, "recipe: readable", str(exc))]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EventLogError(
            f"recipe {file} is not valid YAML",
            [
                Problem(
                    file,
                    "recipe: YAML syntax",
                    str(getattr(exc, "problem", exc)),
                    line=mark.line + 1 if mark is not None else None,
                )
            ],
        ) from None
    try:
        recipe = MiningRecipe.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                file,
                f"recipe: {error['type']}",
                error["msg"],
                line=_line(root, error["loc"]),
                property=".".join(str(p) for p in error["loc"]),
            )
            for error in exc.errors()
        ]
        raise EventLogError(
            f"recipe {file} is not valid: {len(problems)} problem(s)", problems
        ) from None
    recipe._file = file
    recipe._base_dir = path.resolve().parent
    return recipe


def _line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The line of the key at ``loc`` in the YAML tree, or of the nearest mapping above it."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if not isinstance(node, yaml.MappingNode):
            break
        for key, value in node.value:
            if key.value == str(part):
                line, node = key.start_mark.line + 1, value
                break
        else:
            break
    return line
