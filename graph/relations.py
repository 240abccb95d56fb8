"""Which edges carry a change, in which direction, from which kinds of element.

``A dependsOn B`` means A needs B, so a change to B affects A: downstream
impact follows that triple against its direction. Each :class:`Rule` says
how one stored relation is followed downstream or upstream, and from which
element types. *Entry* rules only apply at the start of a traversal: a
change to a contact reason reaches the journeys placed on it, but a change
that reaches a journey must not spread to every other journey on the same
contact reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from rdflib import URIRef

from journeykg.namespaces import JKG


class Relation(Enum):
    """The relations an impact traversal may follow (the GraphQL ``via`` filter)."""

    DEPENDS_ON = JKG.dependsOn
    USES_SYSTEM = JKG.usesSystem
    PERFORMED_BY = JKG.performedBy
    SUPPORTED_BY = JKG.supportedBy
    AT_STEP = JKG.atStep
    STEP_OF = JKG.stepOf
    PLACED_ON = JKG.placedOn
    IN_PHASE = JKG.inPhase
    IN_STAGE = JKG.inStage
    MEASURES = JKG.measures
    OWNED_BY = JKG.ownedBy
    VIA_CHANNEL = JKG.viaChannel
    KPI_TYPE = JKG.kpiType
    EXPLAINS = JKG.explains

    @property
    def predicate(self) -> URIRef:
        return URIRef(self.value)


class Direction(Enum):
    """DOWNSTREAM: what a change affects. UPSTREAM: what an element depends on."""

    DOWNSTREAM = "DOWNSTREAM"
    UPSTREAM = "UPSTREAM"


@dataclass(frozen=True)
class Rule:
    """Follow ``relation`` (against the stored direction if ``inverse``) from ``sources``."""

    relation: Relation
    inverse: bool
    sources: frozenset[str]
    entry: bool = False


def _rule(relation: Relation, inverse: bool, *sources: str, entry: bool = False) -> Rule:
    return Rule(relation, inverse, frozenset(sources), entry)


PROCESS, SYSTEM, ROLE = "BackofficeProcess", "ITSystem", "Role"
TOUCHPOINT, STEP, JOURNEY = "Touchpoint", "Step", "Journey"
REASON, PHASE, STAGE = "ContactReason", "Phase", "LifecycleStage"
KPI, KPI_TYPE, OWNER, CHANNEL = "KPI", "KPIType", "Owner", "Channel"
#: A glossary concept (skos:Concept without a more specific journeykg class).
CONCEPT = "Concept"

R = Relation
DOWNSTREAM: tuple[Rule, ...] = (
    _rule(R.USES_SYSTEM, True, SYSTEM),
    _rule(R.PERFORMED_BY, True, ROLE),
    _rule(R.DEPENDS_ON, True, PROCESS),
    _rule(R.SUPPORTED_BY, True, PROCESS),
    _rule(R.AT_STEP, False, TOUCHPOINT),
    _rule(R.STEP_OF, False, STEP),
    _rule(R.PLACED_ON, False, JOURNEY),
    _rule(R.IN_PHASE, False, REASON),
    _rule(R.IN_STAGE, False, PHASE),
    _rule(R.MEASURES, True, TOUCHPOINT, JOURNEY),
    _rule(R.OWNED_BY, False, PROCESS, JOURNEY, KPI),
    # Entry only: descending the framework, or from a channel or a KPI type.
    _rule(R.VIA_CHANNEL, True, CHANNEL, entry=True),
    _rule(R.IN_STAGE, True, STAGE, entry=True),
    _rule(R.IN_PHASE, True, PHASE, entry=True),
    _rule(R.PLACED_ON, True, REASON, entry=True),
    _rule(R.KPI_TYPE, True, KPI_TYPE, entry=True),
    _rule(R.MEASURES, False, KPI, entry=True),
    # A definition's impact: from a glossary concept to the model elements it
    # explains (jkg:FCR, a lifecycle stage, ...). As an entry rule it lets those
    # elements go on as if they were the root: a KPI type reaches its KPIs.
    _rule(R.EXPLAINS, False, CONCEPT, entry=True),
)

UPSTREAM: tuple[Rule, ...] = (
    _rule(R.STEP_OF, True, JOURNEY),
    _rule(R.AT_STEP, True, STEP),
    _rule(R.SUPPORTED_BY, False, TOUCHPOINT),
    _rule(R.VIA_CHANNEL, False, TOUCHPOINT),
    _rule(R.DEPENDS_ON, False, PROCESS),
    _rule(R.USES_SYSTEM, False, PROCESS),
    _rule(R.PERFORMED_BY, False, PROCESS),
    _rule(R.MEASURES, False, KPI),
    # Entry only: from the framework or an owner down to what they hold.
    _rule(R.IN_STAGE, True, STAGE, entry=True),
    _rule(R.IN_PHASE, True, PHASE, entry=True),
    _rule(R.PLACED_ON, True, REASON, entry=True),
    _rule(R.OWNED_BY, True, OWNER, entry=True),
)

RULES = {Direction.DOWNSTREAM: DOWNSTREAM, Direction.UPSTREAM: UPSTREAM}

#: Element types an impact question may start from.
IMPACT_ROOTS = frozenset(
    {PROCESS, SYSTEM, ROLE, CHANNEL, REASON, PHASE, STAGE, KPI_TYPE}
    | {TOUCHPOINT, STEP, JOURNEY, KPI, OWNER, CONCEPT}
)
