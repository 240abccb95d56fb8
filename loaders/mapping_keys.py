"""The keys a CRM recipe may map its values to: the contact reasons and channels in the store.

``journeykg sync-keys`` lists them (:func:`mappable_keys`). When a recipe maps a value to a
key the store does not have, the aggregate is refused by the SHACL gate on the class of its
``jkg:volumeOf`` or ``jkg:viaChannel``; that shape's own message speaks of the property in
general ("applies to at most one channel"), so :func:`explain_unknown_key` says what is
wrong instead: the key is unknown, and these are the known ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rdflib import URIRef

from journeykg.graph.elements import labels
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.validation.problems import Problem


@dataclass(frozen=True)
class Target:
    """What a recipe's mapping points at: its section key, the class and the property."""

    section: str
    """The recipe key that maps to it: ``reasons`` or ``channels``."""
    noun: str
    cls: URIRef
    property: str
    """The property of a contact volume that holds it, as problems name it."""


TARGETS = (
    Target("reasons", "contact reason", JKG.ContactReason, "jkg:volumeOf"),
    Target("channels", "channel", JKG.Channel, "jkg:viaChannel"),
)

#: At most this many known keys are named in a problem (``journeykg sync-keys`` lists all).
LISTED = 30


@dataclass(frozen=True)
class MappableKey:
    """One key a recipe may map to, with the label people know it by."""

    key: str
    label: str | None


def mappable_keys(store: Store) -> dict[str, list[MappableKey]]:
    """Per recipe section (``reasons``, ``channels``), the keys in the store, sorted."""
    found: dict[str, list[MappableKey]] = {}
    for target in TARGETS:
        iris = sorted(str(i) for i in store.instances(target.cls))
        named = labels(store, iris)
        found[target.section] = [MappableKey(store.ids.key(i), named[i]) for i in iris]
    return found


class UnknownKeys:
    """Explains refusals of aggregates whose reason or channel is not in the store; the
    store's keys are read once, on the first such refusal."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._known: dict[str, set[str]] = {}

    def explained(self, problems: Iterable[Problem]) -> list[Problem]:
        """``problems``, each class violation on a mapped key that the store does not have
        as that class said as an unknown key, naming the known keys."""
        return [self._explain(p) for p in problems]

    def _explain(self, problem: Problem) -> Problem:
        target = next((t for t in TARGETS if t.property == problem.property), None)
        if (
            target is None
            or problem.value is None
            or not problem.rule.endswith("(ClassConstraintComponent)")
        ):
            return problem
        known = self._keys(target)
        key = self.store.ids.key(problem.value)
        if key in known:
            return problem
        # compared without the kind (``reason/``), which every key shares
        local = {k.rpartition("/")[2]: k for k in sorted(known)}
        close = difflib.get_close_matches(key.rpartition("/")[2], list(local), n=1, cutoff=0.6)
        hint = f" (did you mean {local[close[0]]!r}?)" if close else ""
        listed = sorted(known)
        shown = ", ".join(listed[:LISTED]) + (
            f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""
        )
        return replace(
            problem,
            message=f"{key!r} is not a {target.noun} in the store: the recipe maps a value "
            f"to an unknown key{hint}. The {target.noun} keys a recipe may map to are: "
            f"{shown or 'none yet'} (journeykg sync-keys lists them with their labels)",
        )

    def _keys(self, target: Target) -> set[str]:
        if target.section not in self._known:
            self._known[target.section] = {
                self.store.ids.key(str(i)) for i in self.store.instances(target.cls)
            }
        return self._known[target.section]
