"""The impact explorer and the what-if page in a real browser (nothing beyond 127.0.0.1):
the credit check shows GraphQL's elements, hops and paths; controls, clusters and the
keyboard work; a what-if round trip from composing to comparing two saved scenarios."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from tests.web.workspace import Workspace

CREDIT_CHECK = "process/kredietcheck"
TARGET = "journey/overstappen"

IMPACT = """
query($of: ID!, $to: ID!, $maxHops: Int, $via: [Relation!]) {
  impact(of: $of, maxHops: $maxHops, via: $via) {
    elements(first: 500) { edges { node { element { id type } hops shortestPath } } }
    paths(to: $to, first: 20) { totalCount edges { node { elements } } }
  }
}
"""


def asked(workspace: Workspace, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = workspace.graphql(
        IMPACT, {"of": CREDIT_CHECK, "to": TARGET, **variables}
    )
    impact: dict[str, Any] = found["impact"]
    return impact


def arrived(page: Page, url: str) -> None:
    """Wait for the page a click led to: its URL, then its document loaded.

    The URL matches once the navigation commits, while the new document may still be
    parsing: a locator read then found no nodes (a CI run, 8a9b13d)."""
    expect(page).to_have_url(re.compile(url))
    page.wait_for_load_state("load")


def drawn(page: Page) -> list[tuple[str, int, str]]:
    """(id, hops, shortest path) of every node drawn after the root, in order."""
    found: list[list[str]] = page.locator("svg [data-node]").evaluate_all(
        "(ns) => ns.map((n) => [n.dataset.node, n.dataset.hops, n.dataset.path])"
    )
    return [(i, int(h), p) for i, h, p in found[1:]]


def expected(impact: dict[str, Any]) -> list[tuple[str, int, str]]:
    return [
        (e["node"]["element"]["id"], e["node"]["hops"], " ".join(e["node"]["shortestPath"]))
        for e in impact["elements"]["edges"]
    ]


def test_the_credit_check_shows_graphqls_elements_hops_and_paths(
    workspace: Workspace, page: Page
) -> None:
    impact = asked(workspace)
    page.goto(f"{workspace.url}/explorer?lang=en")
    page.get_by_label("Name contains").fill("krediet")
    page.get_by_role("button", name="Search").click()
    page.locator(f"tr[data-match='{CREDIT_CHECK}'] a").click()
    expect(page.locator("h1")).to_have_text("Impact explorer: Kredietcheck")
    assert drawn(page) == expected(impact)
    assert len(drawn(page)) == 119
    page.locator(f"svg a[data-node='{TARGET}']").click()
    arrived(page, r"focus=journey%2Foverstappen")
    paths = page.locator("[data-path-ids]").evaluate_all("(ls) => ls.map((l) => l.dataset.pathIds)")
    assert paths == [" ".join(e["node"]["elements"]) for e in impact["paths"]["edges"]]
    expect(page.locator("[data-path-count]")).to_have_attribute(
        "data-path-count", str(impact["paths"]["totalCount"])
    )
    on_path = page.locator("svg .node.on-path").evaluate_all(
        "(ns) => ns.map((n) => n.dataset.node)"
    )
    assert set(on_path) == {i for p in paths for i in p.split(" ")}
    expect(page.locator("svg .edge.on-path").first).to_be_attached()


def test_the_controls_ask_what_graphql_asks(workspace: Workspace, page: Page) -> None:
    impact = asked(workspace, maxHops=2, via=["DEPENDS_ON", "SUPPORTED_BY"])
    page.goto(f"{workspace.url}/explorer?id={CREDIT_CHECK}&lang=en")
    page.get_by_label("At most hops").fill("2")
    page.get_by_label("DEPENDS_ON").check()
    page.get_by_label("SUPPORTED_BY").check()
    page.get_by_role("button", name="Show", exact=True).click()
    arrived(page, r"maxHops=2")
    assert drawn(page) == expected(impact)
    page.get_by_label("At most hops").fill("two")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.locator("[data-error='maxHops']")).to_contain_text("a whole number")


def test_clusters_count_per_hop_and_class_and_page_their_elements(
    workspace: Workspace, page: Page
) -> None:
    impact = asked(workspace)
    page.goto(f"{workspace.url}/explorer?id={CREDIT_CHECK}&lang=en")
    page.locator("[data-as-clusters]").click()
    expect(page.locator("[data-view]")).to_have_attribute("data-view", "clusters")
    counts: dict[str, int] = {}
    for e in impact["elements"]["edges"]:
        key = f"{e['node']['hops']}/{e['node']['element']['type']}"
        counts[key] = counts.get(key, 0) + 1
    shown = page.locator("[data-cluster]").evaluate_all(
        "(cs) => cs.map((c) => [c.dataset.cluster, Number(c.dataset.count)])"
    )
    assert dict(shown) == counts
    page.locator("[data-cluster='3/Journey']").click()
    expect(page.locator("[data-members]")).to_have_attribute("data-members", "3/Journey")
    members = page.locator("[data-member]").evaluate_all("(ms) => ms.map((m) => m.dataset.member)")
    assert members == [
        e["node"]["element"]["id"]
        for e in impact["elements"]["edges"]
        if e["node"]["hops"] == 3 and e["node"]["element"]["type"] == "Journey"
    ]


def test_an_element_is_chosen_by_keyboard(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/explorer?id={CREDIT_CHECK}&lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.node") == TARGET:
            break
    else:
        raise AssertionError(f"{TARGET} is not reachable by Tab")
    page.keyboard.press("Enter")
    arrived(page, r"focus=journey%2Foverstappen")
    expect(page.locator("svg a[data-node='journey/overstappen']")).to_have_class(
        re.compile("chosen")
    )
    expect(page.locator("[data-path-ids]").first).to_be_visible()


COMPARE = """
query($a: ID!, $b: ID!) { compareScenarios(a: $a, b: $b) {
  costEurDifference onlyInA { id } onlyInB { id } } }
"""


def test_a_what_if_round_trip(workspace: Workspace, page: Page) -> None:
    _, token = workspace.token(Role.ARCHITECT)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")

    page.goto(f"{workspace.url}/whatif?lang=nl")
    page.get_by_label("Soort wijziging").select_option("retire")
    page.get_by_label("Element").fill("process/bestaat-niet")
    page.get_by_role("button", name="Toevoegen en doorrekenen").click()
    expect(page.locator("[data-refusal='element']")).to_contain_text("onbekend element")
    assert page.locator("#f-element").get_attribute("aria-invalid") == "true"

    page.goto(f"{workspace.url}/whatif?lang=en")
    page.get_by_label("Kind of change").select_option("retire")
    page.get_by_label("Element").fill(CREDIT_CHECK)
    page.get_by_role("button", name="Add and evaluate").click()
    expect(page.locator("[data-result]")).to_be_visible()
    expect(page.locator("[data-retired] [data-element]")).to_have_text(re.compile("Kredietcheck"))
    page.get_by_label("Name").fill("Retire the credit check")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-saved]")).to_contain_text("scenario/retire-the-credit-check")

    page.get_by_label("Kind of change").select_option("setCost")
    page.get_by_label("Element").fill("process/facturatie")
    page.get_by_label("Amount (EUR)").fill("250000")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Add and evaluate").click()
    expect(page.locator("[data-figure-row='cost'] [data-after]")).to_be_visible()
    page.get_by_label("Name").fill("Dearer billing")
    page.get_by_role("button", name="Save").click()

    page.get_by_label("Scenario A").select_option("scenario/retire-the-credit-check")
    page.get_by_label("Scenario B").select_option("scenario/dearer-billing")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("h1")).to_have_text("Two scenarios side by side")
    answer = workspace.graphql(
        COMPARE, {"a": "scenario/retire-the-credit-check", "b": "scenario/dearer-billing"}
    )["compareScenarios"]
    difference = page.locator("[data-cost-difference]").get_attribute("data-cost-difference")
    assert float(difference or "nan") == answer["costEurDifference"]
    only_a = page.locator("[data-only-in='A'] [data-element]").evaluate_all(
        "(es) => es.map((e) => e.dataset.element)"
    )
    assert only_a == [e["id"] for e in answer["onlyInA"]]
