"""A mining run: read an event log through its recipe, mine it against the designed
journey, and write the measurements through the SHACL gate and the audit.

``journeykg mine`` calls :func:`run_mining`; GraphQL ``journeyMining`` and the web page
call :func:`journey_mining`, which reads what the last run stored. Refusals:
:class:`~journeykg.loaders.event_logs.errors.EventLogError` (a recipe or log that cannot
be mined: file, line or event, field, rule), :class:`MiningKeyMissingError` (no key in
the settings), :class:`~journeykg.validation.problems.ValidationError` (measurements the
shapes refuse). A refused run writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rdflib import URIRef

from journeykg.graph.audit_context import audit_context
from journeykg.graph.blueprint import blueprint
from journeykg.graph.elements import resolve
from journeykg.graph.gate_view import GateView
from journeykg.graph.mining import MinedPeriod, mined_periods
from journeykg.graph.store import Capability, Store, require
from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.mapping import read_events
from journeykg.loaders.event_logs.measurements import measurements
from journeykg.loaders.event_logs.recipe import MiningRecipe, load_mining_recipe
from journeykg.loaders.provenance import describe_activity, link
from journeykg.mining.events import traces
from journeykg.mining.journey import JourneyMining, mine_periods
from journeykg.mining.periods import period_bounds
from journeykg.settings import Settings
from journeykg.validation.gate import check
from journeykg.validation.problems import LoadError, Problem, ValidationError

#: Called with a stage's name ("read", "mine", "write") and, while reading, events read.
Progress = Callable[[str, int], None]


class MiningKeyMissingError(LoadError):
    """The settings hold no pseudonymisation key: nothing is read without one."""


@dataclass(frozen=True)
class MiningOutcome:
    recipe: str
    journey: str
    events: int
    periods: list[JourneyMining]
    measurements: int
    """Measurements written (0 on a dry run)."""
    dry_run: bool


def mining_key(settings: Settings) -> bytes:
    """The pseudonymisation key from the settings; :class:`MiningKeyMissingError` if unset."""
    key = settings.mining_key.get_secret_value() if settings.mining_key is not None else ""
    if not key:
        raise MiningKeyMissingError(
            "journey mining needs a pseudonymisation key; nothing was read",
            [
                Problem(
                    "settings",
                    "settings: mining_key",
                    "set JOURNEYKG_MINING_KEY (or mining_key in journeykg.toml) to a secret "
                    "of your own; customer and case identifiers are pseudonymised with it",
                    property="mining_key",
                )
            ],
        )
    return key.encode("utf-8")


def _design(store: Store, recipe: MiningRecipe) -> tuple[list[str], dict[str, frozenset[str]]]:
    """The journey's steps in designed order and each step's designed channels; the
    recipe's steps and touchpoints checked against them."""
    iri = store.ids.iri(recipe.journey)
    journey_types = store.element_facts({str(iri)}).get(str(iri), ((), ()))[0]
    if not any(t.endswith("#Journey") for t in journey_types):
        raise EventLogError(
            f"recipe {recipe.file}: {recipe.journey} is not a journey in the store",
            [
                Problem(
                    recipe.file,
                    "recipe: journey",
                    "no journey with this key is stored",
                    property="journey",
                    value=recipe.journey,
                )
            ],
        )
    plan = blueprint(store, iri)
    steps = [s.step.id for s in plan.steps]
    touchpoints = {t.touchpoint.id for s in plan.steps for t in s.touchpoints}
    problems = []
    for activity, mapped in recipe.activities.items():
        if mapped.step not in steps:
            problems.append(
                Problem(
                    recipe.file,
                    "recipe: a step of the journey",
                    f"{mapped.step} is not a step of {recipe.journey}",
                    property=f"activities.{activity}.step",
                    value=mapped.step,
                )
            )
        if mapped.touchpoint is not None and mapped.touchpoint not in touchpoints:
            problems.append(
                Problem(
                    recipe.file,
                    "recipe: a touchpoint of the journey",
                    f"{mapped.touchpoint} is not a touchpoint of {recipe.journey}'s steps",
                    property=f"activities.{activity}.touchpoint",
                    value=mapped.touchpoint,
                )
            )
    if problems:
        raise EventLogError(f"recipe {recipe.file} does not fit {recipe.journey}", problems)
    channels = {
        s.step.id: frozenset(t.channel.id for t in s.touchpoints if t.channel is not None)
        for s in plan.steps
    }
    return steps, channels


def run_mining(
    store: Store,
    recipe_path: Path,
    settings: Settings,
    *,
    actor: str,
    via: str = "cli",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MiningOutcome:
    """Mine the recipe's event log and, unless ``dry_run``, replace its periods' measurements."""
    report = progress or (lambda _stage, _n: None)
    key = mining_key(settings)
    recipe = load_mining_recipe(recipe_path)
    design, channels = _design(store, recipe)
    started = datetime.now(UTC)
    report("read", 0)
    events = read_events(recipe, key, lambda n: report("read", n))
    report("mine", len(events))
    results = mine_periods(
        recipe.journey,
        traces(events),
        design,
        granularity=recipe.period,
        k=settings.mining_min_customers,
        repeat_days=recipe.repeat_days,
        channels=channels,
    )
    del events
    write = measurements(store.ids, results)
    if dry_run:
        return MiningOutcome(
            recipe.name, recipe.journey, sum(r.events for r in results), results, 0, True
        )
    require(store, Capability.WRITABLE, f"mine {recipe_path}")
    report("write", len(write.subjects))
    gate = check(write.delta, GateView(store), str(recipe_path), store.ids)
    if gate.violations:
        raise ValidationError(
            f"the measurements of {recipe_path} do not conform to the shapes: "
            f"{len(gate.violations)} violation(s); nothing was written",
            gate.violations,
        )
    journey = store.ids.iri(recipe.journey)
    stored = {s for s, p, _ in store.referrers([journey]) if str(p).endswith("#minedJourney")}
    replaced = (
        [s for s in stored if str(s).startswith(tuple(write.prefixes))] if (write.prefixes) else []
    )
    ended = datetime.now(UTC)
    run = store.ids.iri(f"run/mining-{ended:%Y%m%dT%H%M%S%fZ}")
    link(write.delta, run, write.subjects)
    describe_activity(
        write.delta, run, f"mining of {recipe.name}", recipe_path.name, started, ended
    )
    with audit_context(actor=actor, role=None, action=f"{via}:mine:{recipe.name}"):
        store.apply(write.delta, sorted(replaced, key=str))
    return MiningOutcome(
        recipe.name,
        recipe.journey,
        sum(r.events for r in results),
        results,
        len(write.subjects),
        False,
    )


def journey_mining(store: Store, journey: str, period: str | None = None) -> list[MinedPeriod]:
    """The stored mining of ``journey`` (a key or IRI), of ``period`` (``2026-01``,
    ``2026-Q1``, ``2026``) or of every period; ValueError for a period written otherwise."""
    ref = resolve(store, journey)
    if ref.type != "Journey":
        raise ValueError(f"{ref.id} is a {ref.type}, not a journey")
    iri = URIRef(ref.iri)
    if period is None:
        return mined_periods(store, iri)
    start, end = period_bounds(period)
    return mined_periods(store, iri, start, end)
