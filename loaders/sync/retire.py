"""Retiring what a source no longer delivers, after a full sync, within a guard.

The candidates are the elements the source owned before the run and did not
deliver in it. Nothing is retired when some input could not be mapped (its
keys are unknown) or when the candidates are more than ``retire_max_share``
of what the source owned, unless the run is forced. Governed elements and
elements something else still points at are kept, with a warning. A dry run
decides the same and removes nothing: the removal is part of the run's last
write (:mod:`.write`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from journeykg.graph.edges import follow
from journeykg.graph.governed import governance_of
from journeykg.graph.governed_steps import GOVERNED_RULE
from journeykg.graph.store import Store
from journeykg.loaders.sync.options import SyncOptions
from journeykg.loaders.sync.report import MAX_LISTED, ProblemOut, SyncReport
from journeykg.namespaces import JKG
from journeykg.validation.gate import curie
from journeykg.validation.problems import Problem


@dataclass
class Retirement:
    """What a full sync retires, what it keeps and why, or why it retires nothing."""

    owned: int
    """Elements the source owned before the run."""
    stale: set[URIRef]
    """Of those, the ones the run did not deliver."""
    refused: str | None = None
    kept: dict[URIRef, Problem] = field(default_factory=dict)
    retire: set[URIRef] = field(default_factory=set)

    def report_into(self, report: SyncReport, store: Store) -> None:
        """Put the counts, the refusal and the (capped) lists in ``report``."""
        report.owned_before = self.owned
        report.retire_candidates = len(self.stale)
        report.retire_candidate_ids = sorted(store.ids.key(str(s)) for s in self.stale)[:MAX_LISTED]
        report.retire_refused = self.refused
        report.kept = [ProblemOut.of(p) for p in list(self.kept.values())[:MAX_LISTED]]
        report.retired = len(self.retire)
        report.retired_ids = sorted(store.ids.key(str(s)) for s in self.retire)[:MAX_LISTED]


def owned_elements(store: Store, source: URIRef) -> set[URIRef]:
    """The elements ``source`` owns (``jkg:syncedFrom``)."""
    return {s for _, s in follow(store, JKG.syncedFrom, [source], inverse=True)}


def plan_retirement(
    store: Store,
    name: str,
    owned: set[URIRef],
    seen: set[URIRef],
    map_failures: int,
    options: SyncOptions,
) -> Retirement:
    """The elements of source ``name`` to retire, given what it ``owned`` and what was ``seen``."""
    retirement = Retirement(owned=len(owned), stale=owned - seen)
    if not retirement.stale:
        return retirement
    if not options.force:
        retirement.refused = guard_refusal(
            name, len(owned), retirement.stale, map_failures, options
        )
        if retirement.refused is not None:
            return retirement
    retirement.kept = kept_elements(store, name, retirement.stale)
    retirement.retire = retirement.stale - retirement.kept.keys()
    return retirement


def guard_refusal(
    name: str, owned: int, stale: set[URIRef], map_failures: int, options: SyncOptions
) -> str | None:
    """Why the guard retires nothing on its own (None: it may retire)."""
    if map_failures:
        return (
            f"{map_failures} input record(s) could not be mapped, so their keys are "
            f"unknown; retiring the {len(stale)} element(s) not seen could remove what they "
            "still hold. Fix the input, or run with --force"
        )
    share = len(stale) / owned
    limit = options.retire_max_share
    if share > limit:
        return (
            f"{len(stale)} of the {owned} elements of {name} "
            f"({share:.1%}) are no longer in the source, more than the {limit:.0%} a sync "
            "retires on its own; check the source, then run with --force to retire them"
        )
    return None


def kept_elements(store: Store, name: str, stale: set[URIRef]) -> dict[URIRef, Problem]:
    """The stale elements not to retire, and why: governed, or still pointed at."""
    described = store.describe(stale)
    key_of = store.ids.key
    keep: dict[URIRef, Problem] = {}
    for subject in sorted(stale):
        if governance_of(described, subject) is not None:
            keep[subject] = Problem(
                file=name,
                node=key_of(str(subject)),
                rule=GOVERNED_RULE,
                message="governed since it was synced; the governance workflow retires it",
                severity="Warning",
            )
    for s, p, o in store.referrers(stale - keep.keys()):
        if s not in stale and isinstance(o, URIRef) and o not in keep:
            keep[o] = Problem(
                file=name,
                node=key_of(str(o)),
                property=curie(p),
                value=key_of(str(s)),
                rule="still referenced",
                message=f"not retired: {key_of(str(s))} still points at it ({curie(p)})",
                severity="Warning",
            )
    return keep
