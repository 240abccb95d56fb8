"""The five roles, the permissions each grants, and the caller a request acts for.

This table is the one place that says who may do what; the GraphQL schema
and the REST routes look a permission up here and never test a role by name.
Separation of duties is deliberate: an integrator can sync but not read the
graph or approve; an admin manages tokens and reads the audit trail but takes
no part in the governance workflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A token's role."""

    READER = "reader"
    """Asks questions: impact, elements, priorities, the glossary, provenance."""
    ARCHITECT = "architect"
    """A reader who also tries what-if scenarios and proposes definitions."""
    STEWARD = "steward"
    """The governance board: the glossary and framework workflow, and the audit trail."""
    INTEGRATOR = "integrator"
    """A sync script: writes synced facts, nothing else."""
    ADMIN = "admin"
    """Manages tokens and configuration; reads the audit trail."""


class Permission(StrEnum):
    """One kind of operation."""

    READ = "read"
    """Queries over the graph (impact, elements, priorities, glossary, history, provenance)."""
    SCENARIO = "scenario"
    """Save and discard what-if scenarios (stored for others to see).

    Evaluating or comparing a scenario writes nothing, so ``whatIf``,
    ``scenarios`` and ``compareScenarios`` are reads (Permission.READ).
    """
    PROPOSE = "propose"
    """Draft, propose, submit and propose changes to governed definitions."""
    DECIDE = "decide"
    """Approve, reject, deprecate, migrate references, delete governed definitions."""
    SYNC = "sync"
    """Run a sync (POST /sync/{source})."""
    AUDIT = "audit"
    """Read the audit trail."""
    ADMINISTER = "administer"
    """Create, list and revoke tokens; read the configuration."""
    INSIGHT = "insight"
    """Record insights, propose improvement initiatives, run the signal rules (docs/insights.md)."""
    STEER = "steer"
    """Validate, reject and close insights; plan, start, finish and drop initiatives."""


GRANTS: Mapping[Role, frozenset[Permission]] = {
    Role.READER: frozenset({Permission.READ}),
    Role.ARCHITECT: frozenset(
        {Permission.READ, Permission.SCENARIO, Permission.PROPOSE, Permission.INSIGHT}
    ),
    Role.STEWARD: frozenset(
        {
            Permission.READ,
            Permission.PROPOSE,
            Permission.DECIDE,
            Permission.AUDIT,
            Permission.INSIGHT,
            Permission.STEER,
        }
    ),
    Role.INTEGRATOR: frozenset({Permission.SYNC}),
    Role.ADMIN: frozenset({Permission.READ, Permission.AUDIT, Permission.ADMINISTER}),
}


@dataclass(frozen=True)
class Principal:
    """The caller a request acts for: a token's name and role, or anonymous.

    ``name`` is what the audit trail records as the actor.
    """

    name: str
    role: Role | None
    """None for an anonymous caller (allowed only when anonymous read is switched on)."""
    token_id: str | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        """What this caller may do; an anonymous caller may only read."""
        if self.role is None:
            return frozenset({Permission.READ})
        return GRANTS[self.role]

    def may(self, permission: Permission) -> bool:
        """Whether this caller holds ``permission``."""
        return permission in self.permissions


ANONYMOUS = Principal(name="anonymous", role=None)
"""The caller without a token (only ever let in when anonymous read is on)."""
