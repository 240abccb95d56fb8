"""Owners to notify, grouped by role, on both backends (tests/fixtures/impact_small.ttl)."""

from __future__ import annotations

from journeykg.graph.elements import resolve
from journeykg.graph.impact import traverse
from journeykg.graph.owners import owners_to_notify
from journeykg.graph.store import Store
from tests.conftest import read_fixture


def test_owners_are_grouped_by_role_with_the_path_that_reaches_them(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    answer = traverse(store, [resolve(store, "process/x")])
    groups = owners_to_notify(store, answer)
    assert [(g.role.id if g.role else None, [o.owner.id for o in g.owners]) for g in groups] == [
        ("jkg:JourneyOwner", ["owner/o"]),
        ("jkg:KPIOwner", ["owner/k"]),
    ]
    for group in groups:
        for notify in group.owners:
            assert notify.reason == answer.shortest_path(notify.owner.id)
            assert notify.reason[0] == "process/x"
            assert notify.reason[-1] == notify.owner.id


def test_an_answer_without_owners_has_no_groups(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    answer = traverse(store, [resolve(store, "process/x")], max_hops=1)
    assert answer.owners == ()
    assert owners_to_notify(store, answer) == []


def test_an_owner_without_a_role_comes_first_and_one_with_two_roles_is_in_both(
    store: Store,
) -> None:
    data = read_fixture("impact_small.ttl")
    data.parse(
        data="""@base <https://id.journeykg.example/> .
        @prefix jkg: <https://w3id.org/journeykg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <owner/z> a jkg:Owner ; rdfs:label "Zonder rol"@nl .
        <journey/j> jkg:ownedBy <owner/z> .
        <owner/k> jkg:ownerRole jkg:JourneyOwner .""",
        format="turtle",
    )
    store.upsert(data)
    groups = owners_to_notify(store, traverse(store, [resolve(store, "process/x")]))
    assert [(g.role.id if g.role else None, [o.owner.id for o in g.owners]) for g in groups] == [
        (None, ["owner/z"]),
        ("jkg:JourneyOwner", ["owner/o", "owner/k"]),  # in answer order: nearest first
        ("jkg:KPIOwner", ["owner/k"]),
    ]
