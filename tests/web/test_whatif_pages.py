"""The what-if page in-process, on both backends: what it shows is graph/scenario.py's answer;
saving needs SCENARIO and is audited; every refusal sits next to its field and writes nothing
(the graph and the audit journal are compared before and after)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_journal import AuditFilter
from journeykg.graph.audited import AuditedStore
from journeykg.graph.scenario import evaluate, parse_changes
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.services import scenarios
from tests.snapshot import snapshot
from tests.web.demo_app import client
from tests.web.glossary_client import attribute, audited, signed_in

RETIRE = {"op": "retire", "element": "process/kredietcheck"}
COST = {"op": "setCost", "element": "process/facturatie", "amountEur": "250000", "period": "2025"}


@pytest.fixture
def kept(store: Store, tmp_path: Path) -> AuditedStore:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return audited(store, tmp_path)


@pytest.fixture
def app(kept: AuditedStore, tmp_path: Path) -> tuple[TestClient, TokenStore]:
    return client(kept, tmp_path)


def csrf_of(app: TestClient) -> str:
    app.get("/whatif")
    return str(app.cookies["jkg_csrf"])


def post(app: TestClient, path: str, csrf: str, changes: list[dict[str, str]], **form: str):  # type: ignore[no-untyped-def]
    answer = app.post(path, data={"csrf": csrf, "changes": json.dumps(changes), **form})
    return answer, answer.text


def carried(page: str) -> list[dict[str, str]]:
    """The change set the page's forms carry on."""
    found = set(re.findall(r'name="changes" value="([^"]*)"', page))
    assert len(found) == 1, found
    return json.loads(html.unescape(found.pop()))  # type: ignore[no-any-return]


def test_composing_shows_today_against_after_as_the_scenario_answers(
    kept: AuditedStore, app: tuple[TestClient, TokenStore]
) -> None:
    web, _ = app
    csrf = csrf_of(web)
    before = snapshot(kept)
    answer, page = post(
        web, "/whatif?lang=en", csrf, [], do="add", **{k: v for k, v in RETIRE.items()}
    )
    assert answer.status_code == 200
    assert carried(page) == [RETIRE]
    answer, page = post(web, "/whatif?lang=en", csrf, [RETIRE], do="add", **COST)
    assert answer.status_code == 200
    assert carried(page) == [RETIRE, COST]
    result = evaluate(kept, parse_changes([RETIRE, COST]))
    assert result.today
    assert result.after
    assert result.radius_today
    assert result.radius_after
    assert attribute(page, "data-today") == [
        str(len(result.today.affected)),
        str(result.radius_today.contacts),
        str(result.radius_today.complaints),
        str(result.radius_today.cost_eur),
    ]
    assert attribute(page, "data-after") == [
        str(len(result.after.affected)),
        str(result.radius_after.contacts),
        str(result.radius_after.complaints),
        str(result.radius_after.cost_eur),
    ]
    retired = re.search(r"data-retired>(.*?)</ul>", page, re.S)
    assert retired
    assert attribute(retired.group(1), "data-element") == [r.id for r in result.retired]
    # Removing a change evaluates the rest; nothing was written meanwhile.
    answer, page = post(web, "/whatif", csrf, [RETIRE, COST], do="remove-0")
    assert carried(page) == [COST]
    assert snapshot(kept) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {"op": "retire", "element": "process/none-such"},
            "element",
            "onbekend element process/none-such",
        ),
        (
            {
                "op": "moveTouchpoints",
                "fromProcess": "journey/overstappen",
                "toProcess": "process/facturatie",
            },
            "fromProcess",
            "journey/overstappen is een Klantreis, geen Proces",
        ),
        (
            {
                "op": "setCost",
                "element": "process/facturatie",
                "amountEur": "veel",
                "period": "2025",
            },
            "amountEur",
            "ongeldige waarde",
        ),
        (
            {"op": "setCost", "element": "process/facturatie", "amountEur": "10"},
            "period",
            "verplicht",
        ),
        (
            {
                "op": "addDependency",
                "process": "process/kredietcheck",
                "dependsOn": "process/unknown",
            },
            "dependsOn",
            "onbekend element",
        ),
        (
            {
                "op": "removeDependency",
                "process": "process/facturatie",
                "dependsOn": "process/kredietcheck",
            },
            "changes",
            "deze wijziging kan niet",
        ),
    ],
)
def test_a_refused_change_is_named_next_to_its_field_and_nothing_is_written(
    kept: AuditedStore,
    app: tuple[TestClient, TokenStore],
    change: dict[str, str],
    field: str,
    words: str,
) -> None:
    web, _ = app
    csrf = csrf_of(web)
    before = snapshot(kept)
    answer, page = post(web, "/whatif?lang=nl", csrf, [RETIRE], do="add", **change)
    assert answer.status_code == 400
    assert attribute(page, "data-refusal") == [field]
    assert words in page
    assert carried(page) == [RETIRE]  # the set as it was, the change still in the form
    assert snapshot(kept) == before


def test_saving_needs_the_scenario_permission_and_is_audited(
    kept: AuditedStore, app: tuple[TestClient, TokenStore]
) -> None:
    web, tokens = app
    before = snapshot(kept)
    answer, _ = post(web, "/whatif/save", csrf_of(web), [RETIRE], name="Weg ermee")
    assert answer.status_code == 403  # anonymous reading does not keep scenarios
    csrf = signed_in(web, tokens, Role.READER)
    assert post(web, "/whatif/save", csrf, [RETIRE], name="Weg ermee")[0].status_code == 403
    assert "data-save-needs" in post(web, "/whatif", csrf, [RETIRE])[1]
    assert snapshot(kept) == before

    csrf = signed_in(web, tokens, Role.ARCHITECT)
    answer, page = post(web, "/whatif/save?lang=en", csrf, [RETIRE], name="  ")
    assert answer.status_code == 400
    assert attribute(page, "data-refusal") == ["name"]
    assert "a scenario needs a name" in page
    assert snapshot(kept) == before
    answer, _ = post(web, "/whatif/save", csrf, [RETIRE], name="Kredietcheck uitfaseren")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/whatif?saved=scenario%2Fkredietcheck-uitfaseren"
    saved = scenarios.load(kept, "scenario/kredietcheck-uitfaseren")
    assert [c.model_dump(mode="json", by_alias=True) for c in saved.changes] == [RETIRE]
    entries, _ = kept.journal.entries(AuditFilter())
    assert (entries[0].actor, entries[0].role, entries[0].action) == (
        "web-architect",
        "architect",
        "web:saveScenario",
    )
    page = html.unescape(web.get("/whatif?saved=scenario/kredietcheck-uitfaseren").text)
    assert attribute(page, "data-scenario") == ["scenario/kredietcheck-uitfaseren"]


def test_two_saved_scenarios_side_by_side_are_the_comparisons(
    kept: AuditedStore, app: tuple[TestClient, TokenStore]
) -> None:
    web, tokens = app
    csrf = signed_in(web, tokens, Role.ARCHITECT)
    post(web, "/whatif/save", csrf, [RETIRE], name="A kant")
    post(web, "/whatif/save", csrf, [COST], name="B kant")
    found = scenarios.compare_saved(kept, "scenario/a-kant", "scenario/b-kant")
    page = html.unescape(web.get("/whatif/compare?a=scenario/a-kant&b=scenario/b-kant").text)
    assert attribute(page, "data-cost-difference") == [str(found.cost_eur_difference)]
    only_a = re.search(r'data-only-in="A">(.*?)</ul>', page, re.S)
    only_b = re.search(r'data-only-in="B">(.*?)</ul>', page, re.S)
    assert only_a
    assert only_b
    assert attribute(only_a.group(1), "data-element") == [r.id for r in found.only_in_a]
    assert attribute(only_b.group(1), "data-element") == [r.id for r in found.only_in_b]
    assert found.only_in_a  # the comparison says something
    assert web.get("/whatif/compare?a=scenario/none&b=scenario/b-kant").status_code == 404


def test_a_form_without_its_csrf_value_is_refused(app: tuple[TestClient, TokenStore]) -> None:
    web, _ = app
    csrf_of(web)
    answer = web.post("/whatif", data={"csrf": "forged", "changes": "[]", "do": "add", **RETIRE})
    assert answer.status_code == 403
