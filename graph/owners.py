"""Whom to tell about a change: the owners an impact answer reaches, grouped by their role."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import refs
from journeykg.graph.model import ElementRef, ImpactAnswer
from journeykg.graph.store import Store
from journeykg.namespaces import JKG


@dataclass(frozen=True)
class OwnerToNotify:
    """An owner (a post) and the path that puts them on the list."""

    owner: ElementRef
    reason: tuple[str, ...]
    """The ids on a shortest path from the changed element to the owner."""


@dataclass(frozen=True)
class OwnerGroup:
    """Owners who share a role (journey owner, KPI owner, ...); ``role`` None: no role given."""

    role: ElementRef | None
    owners: tuple[OwnerToNotify, ...]


def owner_roles(store: Store, owners: list[URIRef]) -> dict[URIRef, list[ElementRef]]:
    """The roles (``jkg:ownerRole``) of each of ``owners``, in one batch."""
    if not owners:
        return {}
    edges = follow(store, JKG.ownerRole, owners)
    found = refs(store, {role for _, role in edges})
    roles: dict[URIRef, list[ElementRef]] = {owner: [] for owner in owners}
    for owner, role in sorted(edges):
        if role in found:
            roles[owner].append(found[role])
    return roles


def owners_to_notify(store: Store, answer: ImpactAnswer) -> list[OwnerGroup]:
    """The owners ``answer`` reaches, grouped by role; an owner with two roles is in both.

    Groups come by role id (owners without a role first), owners in answer order.
    """
    roles = owner_roles(store, [URIRef(a.element.iri) for a in answer.owners])
    groups: dict[str | None, tuple[ElementRef | None, list[OwnerToNotify]]] = {}
    for affected in answer.owners:
        notify = OwnerToNotify(affected.element, answer.shortest_path(affected.element.id))
        found: list[ElementRef | None] = [*roles[URIRef(affected.element.iri)]] or [None]
        for role in found:
            groups.setdefault(role.id if role else None, (role, []))[1].append(notify)
    return [
        OwnerGroup(role, tuple(owners))
        for _, (role, owners) in sorted(groups.items(), key=lambda kv: kv[0] or "")
    ]
