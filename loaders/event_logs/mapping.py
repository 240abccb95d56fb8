"""From a log's events to mining events: pseudonymised, mapped by the recipe, checked.

Every event's case and customer identifiers are replaced by keyed pseudonyms here, as the
reader yields it; the :class:`~.records.LogEvent` holding them in clear is dropped at once.
Every problem names the file, the event's place (line or number) and the field, never an
identifier: a value is repeated only as :mod:`journeykg.loaders.personal_data` allows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from journeykg.loaders.event_logs.crm_csv import read_crm_csv
from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.ocel_json import read_ocel_json
from journeykg.loaders.event_logs.ocel_sqlite import read_ocel_sqlite
from journeykg.loaders.event_logs.ocel_xml import read_ocel_xml
from journeykg.loaders.event_logs.recipe import MiningRecipe
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.loaders.event_logs.xes import read_xes
from journeykg.loaders.personal_data import shown_key, shown_value
from journeykg.mining.events import Event
from journeykg.mining.pseudonyms import Pseudonymiser
from journeykg.validation.problems import Problem

#: Problems kept for one report; a log wrong throughout says so in the count.
MAX_PROBLEMS = 50
#: Formats whose events of a case come in time order (XES traces, CRM exports sorted by
#: time): an event earlier than its case's previous one is an error there. OCEL keeps
#: events in no promised order; they are sorted per case.
_ORDERED = frozenset({"xes", "csv"})


def log_events(recipe: MiningRecipe) -> Iterator[LogEvent]:
    """The events of the recipe's log as its format's reader yields them."""
    path = recipe.log_path()
    fmt = recipe.input.format
    customer = recipe.customer or recipe.case
    if fmt == "xes":
        return read_xes(path, recipe.customer)
    if fmt == "csv":
        f = recipe.fields
        columns = {
            "case": f.case or "case",
            "customer": f.customer or f.case or "case",
            "activity": f.activity or "activity",
            "time": f.time or "time",
        }
        if f.channel:
            columns["channel"] = f.channel
        if f.reason:
            columns["reason"] = f.reason
        return read_crm_csv(path, columns, recipe.input.delimiter)
    reader = {
        "ocel-json": read_ocel_json,
        "ocel-xml": read_ocel_xml,
        "ocel-sqlite": read_ocel_sqlite,
    }[fmt]
    return reader(path, recipe.case, customer)


def parse_time(text: str) -> datetime:
    """An ISO 8601 timestamp as an aware UTC datetime (a time without offset is UTC)."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class _Mapper:
    def __init__(self, recipe: MiningRecipe, key: bytes) -> None:
        self.recipe = recipe
        self.file = str(recipe.log_path())
        self.pseudonym = Pseudonymiser(key)
        self.problems: list[Problem] = []
        self.more = 0
        self.ignore = frozenset(recipe.ignore)
        self.channel_field = (
            "channel" if recipe.input.format == "csv" else (recipe.fields.channel or "channel")
        )
        self.reason_field = (
            "reason" if recipe.input.format == "csv" else (recipe.fields.reason or "reason")
        )
        self.ordered = recipe.input.format in _ORDERED
        self.last: dict[str, tuple[datetime, str]] = {}

    def problem(
        self, raw: LogEvent, field: str, rule: str, message: str, value: str | None = None
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(
                Problem(self.file, rule, message, node=raw.where, property=field, value=value)
            )
        else:
            self.more += 1

    def event(self, raw: LogEvent) -> Event | None:
        recipe = self.recipe
        if raw.activity is None:
            self.problem(raw, "activity", "event log: activity", "the event has no activity")
            return None
        if raw.activity in self.ignore:
            return None
        mapped = recipe.activities.get(raw.activity)
        if mapped is None:
            self.problem(
                raw,
                "activity",
                "recipe: activities map every activity",
                "the recipe maps this activity to no step (add it to activities or ignore)",
                shown_key(raw.activity),
            )
            return None
        if raw.case is None or raw.customer is None:
            field = "case" if raw.case is None else "customer"
            self.problem(
                raw,
                field,
                f"event log: a {field} per event",
                f"the event names no {field} (see the recipe's '{field}')",
            )
            return None
        if raw.time is None:
            self.problem(raw, "time", "event log: a time per event", "the event has no time")
            return None
        try:
            moment = parse_time(raw.time)
        except ValueError:
            self.problem(
                raw,
                "time",
                "event log: ISO 8601 time",
                "the time is not an ISO 8601 timestamp",
                shown_value(raw.time),
            )
            return None
        channel = self._closed(raw, self.channel_field, "channel", recipe.channels)
        reason = self._closed(raw, self.reason_field, "reason", recipe.reasons)
        case = self.pseudonym(raw.case)
        customer = self.pseudonym(raw.customer)
        if self.ordered:
            before = self.last.get(case)
            if before is not None and moment < before[0]:
                self.problem(
                    raw,
                    "time",
                    "event log: events of a case in time order",
                    f"the event is earlier than its case's previous event ({before[1]})",
                    shown_value(raw.time),
                )
            self.last[case] = (moment, raw.where)
        return Event(case, customer, mapped.step, moment, channel, mapped.touchpoint, reason)

    def _closed(
        self, raw: LogEvent, attribute: str, field: str, mapping: dict[str, str]
    ) -> str | None:
        value = raw.attributes.get(attribute)
        if value is None or not mapping:
            return None
        key = mapping.get(value)
        if key is None:
            self.problem(
                raw,
                field,
                f"recipe: {field}s map every value",
                f"the recipe's {field}s do not map this value",
                shown_key(value),
            )
        return key


def read_events(
    recipe: MiningRecipe, key: bytes, on_progress: Callable[[int], None] | None = None
) -> list[Event]:
    """Every event of the recipe's log, pseudonymised and mapped; :class:`EventLogError`
    naming each problem (at most :data:`MAX_PROBLEMS`) if any event cannot be used."""
    mapper = _Mapper(recipe, key)
    events: list[Event] = []
    read = 0
    try:
        for raw in log_events(recipe):
            read += 1
            event = mapper.event(raw)
            if event is not None:
                events.append(event)
            if on_progress is not None and read % 100_000 == 0:
                on_progress(read)
    finally:
        mapper.pseudonym.forget()
        mapper.last.clear()
    if on_progress is not None:
        on_progress(read)
    if mapper.problems:
        extra = f" (and {mapper.more} more)" if mapper.more else ""
        raise EventLogError(
            f"event log {mapper.file}: {len(mapper.problems)} problem(s){extra}; nothing mined",
            mapper.problems,
        )
    return events
