"""The impact explorer in-process, on both backends: the page shows exactly the impact answer
(elements, hops, edges, paths) for GraphQL's arguments; a hub comes as counts and pages;
bad arguments are named next to their control."""

from __future__ import annotations

import html
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.graph.impact import impact
from journeykg.graph.paths import paths_to
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.web import explorer_view
from tests.conftest import BASE
from tests.web.demo_app import client
from tests.web.glossary_client import attribute

CREDIT_CHECK = "process/kredietcheck"


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


@pytest.fixture
def app(demo: Store, tmp_path: Path) -> TestClient:
    return client(demo, tmp_path)[0]


def shown(app: TestClient, query: str, status: int = 200) -> str:
    answer = app.get(f"/explorer?{query}")
    assert answer.status_code == status, answer.text[:2000]
    return html.unescape(answer.text)


@pytest.mark.parametrize(
    ("query", "direction", "max_hops", "via"),
    [
        ("", Direction.DOWNSTREAM, None, None),
        (
            "&maxHops=2&via=DEPENDS_ON&via=SUPPORTED_BY",
            Direction.DOWNSTREAM,
            2,
            ["DEPENDS_ON", "SUPPORTED_BY"],
        ),
        ("&direction=UPSTREAM", Direction.UPSTREAM, None, None),
    ],
)
def test_the_graph_is_the_impact_answer(
    demo: Store,
    app: TestClient,
    query: str,
    direction: Direction,
    max_hops: int | None,
    via: list[str] | None,
) -> None:
    of = CREDIT_CHECK if direction == Direction.DOWNSTREAM else "journey/overstappen"
    answer = impact(
        demo, of, max_hops, direction=direction, via=[Relation[v] for v in via] if via else None
    )
    page = shown(app, f"id={of}{query}&lang=en")
    nodes = re.findall(r'data-node="([^"]+)" data-hops="(\d+)" data-type="([^"]+)"', page)
    expected = [(r.id, "0", r.type) for r in answer.roots]
    expected += [(a.element.id, str(a.hops), a.element.type) for a in answer.affected]
    assert nodes == expected
    edges = {tuple(e.split(" ")) for e in attribute(page, "data-edge")}
    assert edges == {(e.source, e.relation, e.target) for e in answer.edges}
    listed = re.findall(r'data-affected="([^"]+)" data-hops="(\d+)"', page)
    assert listed == [(a.element.id, str(a.hops)) for a in answer.affected]
    # Every node carries its shortest path, for the highlight.
    paths = dict(zip(attribute(page, "data-node"), attribute(page, "data-path"), strict=True))
    for a in answer.affected:
        assert paths[a.element.id] == " ".join(answer.shortest_path(a.element.id))


def test_choosing_an_element_highlights_every_path_to_it(demo: Store, app: TestClient) -> None:
    answer = impact(demo, CREDIT_CHECK)
    target = "journey/overstappen"
    expected = paths_to(answer, target, first=explorer_view.PATHS_SHOWN)
    page = shown(app, f"id={CREDIT_CHECK}&focus={target}&lang=en")
    assert [p.split(" ") for p in attribute(page, "data-path-ids")] == [
        list(p) for p in expected.paths
    ]
    assert attribute(page, "data-path-count") == [str(expected.total)]
    on_path = set(re.findall(r'class="node [\w-]+ on-path[^"]*"\s+data-node="([^"]+)"', page))
    assert on_path == {i for p in expected.paths for i in p}
    highlighted = re.findall(r'class="edge on-path" data-edge="([^"]+)"', page)
    assert {tuple(e.split(" ")[::2]) for e in highlighted} == {
        pair for p in expected.paths for pair in itertools.pairwise(p)
    }
    assert 'chosen"' in page


def test_blast_radius_and_owners_are_beside_it(demo: Store, app: TestClient) -> None:
    from journeykg.graph.owners import owners_to_notify
    from journeykg.graph.quantify import blast_radius

    answer = impact(demo, CREDIT_CHECK)
    radius = blast_radius(demo, answer)
    page = shown(app, f"id={CREDIT_CHECK}&lang=en")
    assert attribute(page, "data-radius-contacts") == [str(radius.contacts)]
    assert attribute(page, "data-radius-cost") == [str(radius.cost_eur)]
    owners = [o.owner.id for g in owners_to_notify(demo, answer) for o in g.owners]
    assert attribute(page, "data-owner") == owners
    assert owners


def test_a_large_answer_comes_as_counts_per_hop_and_class_then_pages(
    demo: Store, app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(explorer_view, "DETAIL_LIMIT", 20)
    monkeypatch.setattr(explorer_view, "CLUSTER_PAGE", 4)
    answer = impact(demo, CREDIT_CHECK)
    page = shown(app, f"id={CREDIT_CHECK}&lang=en")
    assert attribute(page, "data-view") == ["clusters"]
    assert 'data-node="journey/' not in page  # no element drawn one by one
    drawn = re.findall(r'data-cluster="([^"]+)" data-count="(\d+)"', page)
    clusters = dict(drawn)
    counted = Counter(f"{a.hops}/{a.element.type}" for a in answer.affected)
    assert {k: int(v) for k, v in clusters.items()} == counted
    cluster, count = counted.most_common(1)[0]
    hop_text, kind = cluster.split("/")
    hops = int(hop_text)
    members = [a.element.id for a in answer.affected if a.hops == hops and a.element.type == kind]
    seen: list[str] = []
    for offset in range(0, count, 4):
        part = shown(app, f"id={CREDIT_CHECK}&hop={hops}&cls={kind}&offset={offset}&lang=en")
        seen += attribute(part, "data-member")
        assert ("data-next" in part) == (offset + 4 < count)
    assert seen == members
    owners = [a.element.id for a in answer.owners]
    assert attribute(page, "data-owner") == owners[:4]  # CLUSTER_PAGE owners, nearest first
    assert f"Owners to notify ({len(owners)})" in page
    refused = shown(app, f"id={CREDIT_CHECK}&hop=99&cls=Journey&lang=en", 400)
    assert attribute(refused, "data-error") == ["cluster"]


def test_the_search_finds_by_label_in_the_language_chosen(app: TestClient) -> None:
    page = shown(app, "q=krediet&in=nl&lang=en")
    assert CREDIT_CHECK in attribute(page, "data-match")
    assert attribute(shown(app, "q=change%20address&in=nl"), "data-match") == []
    assert "reason/adres-wijzigen" in attribute(
        shown(app, "q=change%20address&in=en"), "data-match"
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("choose downstream or upstream", "a whole number", "unknown relation")),
        ("nl", ("kies stroomafwaarts", "een geheel getal", "onbekende relatie")),
    ],
)
def test_bad_arguments_are_named_next_to_their_control(
    app: TestClient, language: str, words: tuple[str, ...]
) -> None:
    page = shown(
        app, f"id={CREDIT_CHECK}&direction=SIDEWAYS&maxHops=-1&via=NOPE&lang={language}", 400
    )
    assert attribute(page, "data-error") == ["direction", "maxHops", "via"]
    for word in words:
        assert word in page
    assert "data-node" not in page


def test_an_element_no_impact_question_starts_from_is_refused(app: TestClient) -> None:
    page = shown(app, "id=cost/process-kredietcheck-2025&lang=en", 400)
    assert attribute(page, "data-error") == ["id"]
    assert "cannot start here" in page
    assert app.get("/explorer?id=process/none-such").status_code == 404


def test_a_kept_walk_never_outlives_a_write(demo: Store, app: TestClient) -> None:
    new = "touchpoint/kredietcheck-in-de-app"
    assert new not in attribute(shown(app, f"id={CREDIT_CHECK}&lang=en"), "data-node")
    demo.upsert(
        Graph().parse(
            data=f"""
            @base <{BASE}> .
            @prefix jkg: <https://w3id.org/journeykg/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            <{new}> a jkg:Touchpoint ; rdfs:label "Kredietcheck in de app"@nl ;
                jkg:supportedBy <{CREDIT_CHECK}> .
            """,
            format="turtle",
        )
    )
    assert new in attribute(shown(app, f"id={CREDIT_CHECK}&lang=en"), "data-node")
