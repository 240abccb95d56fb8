"""CRM sources on recorded payloads: Salesforce (REST pages, Bulk CSV), HubSpot, Dynamics 365."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from journeykg.loaders.recipe import InputSpec, load_recipe
from journeykg.loaders.sources import SourceError
from journeykg.namespaces import JKG, RDF
from tests.loaders.sources_helpers import (
    FIXTURES,
    assert_no_personal_data,
    pii_values,
    run,
    run_recipe,
)

SF = FIXTURES / "salesforce"
HS = FIXTURES / "hubspot"
DY = FIXTURES / "dynamics"

#: Worked out by hand from tests/loaders/fixtures/salesforce (14 cases on 3 pages).
SALESFORCE_VOLUMES = {
    "reason/nummer-meenemen|channel/telefoon|2026-02": (2, 1, 1, Decimal("0.5")),
    "reason/rekening-begrijpen|channel/web|2026-02": (1, 0, 0, Decimal("1")),
    "reason/rekening-begrijpen|channel/email|2026-02": (1, 1, 0, Decimal("0")),
    # Case 6 is created 2026-02-28 23:30 UTC: 1 March in Amsterdam, where the recipe counts.
    "reason/nummer-meenemen|channel/telefoon|2026-03": (4, 1, 1, Decimal("0.25")),
    "reason/rekening-begrijpen|channel/web|2026-03": (2, 1, 1, Decimal("0.5")),
}


def volumes(run_: object) -> dict[str, tuple[int, int, int, Decimal]]:
    from tests.loaders.sources_helpers import Run

    assert isinstance(run_, Run)
    found = {}
    for external_id in run_.by_id:
        v = run_.values(external_id)
        found[external_id] = (
            v["jkg:contacts"],
            v["jkg:complaints"],
            v["jkg:escalations"],
            v["jkg:firstContactResolution"],
        )
    return found


def test_salesforce_rest_pages_are_aggregated_per_reason_channel_and_month() -> None:
    result = run_recipe(SF / "recipe.yaml")
    assert volumes(result) == SALESFORCE_VOLUMES
    assert result.read == 14
    assert result.rejected == []
    assert result.unmapped == {"Reason='Installatie storing'": 3, "Origin='Social'": 1}
    assert result.bookmark == "2026-03-13T09:00:00.000Z"


def test_a_contact_volume_carries_reason_channel_year_and_days() -> None:
    result = run_recipe(SF / "recipe.yaml")
    record = result.by_id["reason/nummer-meenemen|channel/telefoon|2026-03"]
    assert record.source == "salesforce-service-cloud"
    assert "cases-page-2.json" in record.origin
    assert "cases-page-3.json" in record.origin
    v = result.values(record.external_id)
    assert v["jkg:volumeOf"] == "reason/nummer-meenemen"
    assert v["jkg:viaChannel"] == "channel/telefoon"
    assert (v["jkg:period"], v["jkg:periodStart"], v["jkg:periodEnd"]) == (
        "2026",
        "2026-03-01",
        "2026-03-31",
    )
    (subject,) = set(record.graph.subjects(RDF.type, JKG.ContactVolume))
    assert str(subject) == (
        "https://id.journeykg.example/volume/salesforce-service-cloud/"
        "reason%2Fnummer-meenemen%7Cchannel%2Ftelefoon%7C2026-03"
    )


def test_salesforce_bulk_csv_gives_the_same_aggregates() -> None:
    result = run_recipe(SF / "recipe-bulk.yaml")
    assert volumes(result) == SALESFORCE_VOLUMES
    assert result.unmapped == {"Reason='Installatie storing'": 3, "Origin='Social'": 1}


@pytest.mark.parametrize("directory", [SF, HS, DY], ids=lambda d: d.name)
def test_no_personal_data_reaches_the_graph(directory: Path) -> None:
    recipes = sorted(directory.glob("recipe*.yaml"))
    for recipe in recipes:
        result = run_recipe(recipe)
        assert len(result.graph) > 0
        assert_no_personal_data(result.graph, pii_values(directory))
        report = json.dumps([str(p) for p in result.rejected] + list(result.unmapped))
        for value in pii_values(directory):
            assert value not in report


def test_the_same_export_read_twice_gives_the_same_triples() -> None:
    from journeykg.graph.canonical import canonical

    first, second = run_recipe(SF / "recipe.yaml"), run_recipe(SF / "recipe.yaml")
    assert canonical(first.graph) == canonical(second.graph)


def test_incremental_read_recomputes_only_the_periods_touched_after_the_bookmark() -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(update={"mode": "incremental"})
    result = run(recipe, "2026-03-06T00:00:00Z")
    march = {k: v for k, v in SALESFORCE_VOLUMES.items() if k.endswith("2026-03")}
    # Cases 6 and 7 were last modified before the bookmark, yet March is recomputed from all
    # of its cases: an aggregate is never a sum of an old and a partial count.
    assert volumes(result) == march
    assert result.bookmark == "2026-03-13T09:00:00.000Z"
    assert run(recipe, "2026-03-13T09:00:00.000Z").records == []


def test_a_case_modified_later_touches_the_period_it_was_created_in() -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(update={"mode": "incremental"})
    # Case 5 (created in February) was modified on 5 March: February is recomputed too.
    assert set(volumes(run(recipe, "2026-03-04T16:00:00Z"))) == set(SALESFORCE_VOLUMES)


def test_a_full_read_ignores_the_bookmark() -> None:
    assert volumes(run_recipe(SF / "recipe.yaml", "2026-03-06T00:00:00Z")) == SALESFORCE_VOLUMES


def test_bad_records_are_problems_and_the_others_go_on(tmp_path: Path) -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(
        update={"input": InputSpec(files=[str(SF / "cases-bad-records.json")])}
    )
    result = run(recipe)
    assert result.read == 4
    assert sum(result.values(k)["jkg:contacts"] for k in result.by_id) == 1
    problems = {(p.node, p.property, p.rule) for p in result.rejected}
    assert problems == {
        ("5003X00002AbC03QAF", "CreatedDate", "creation time is an ISO 8601 timestamp"),
        ("0013X00002Zx8yWQAR", "attributes.type", "record is a Case"),
        ("5003X00002AbC07QAF", "IsEscalated", "field holds a single value"),
    }
    for problem in result.rejected:
        assert problem.file == "cases-bad-records.json"
        assert "records[" in problem.message


def test_a_missing_page_is_refused_as_a_whole() -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(
        update={"input": InputSpec(files=["cases-page-1.json", "cases-page-3.json"])}
    )
    with pytest.raises(SourceError) as raised:
        run(recipe)
    rules = {(p.file, p.property) for p in raised.value.problems}
    assert ("cases-page-1.json", "totalSize") in rules


def test_the_whole_chain_can_be_posted_as_one_payload() -> None:
    pages = [json.loads((SF / f"cases-page-{i}.json").read_text()) for i in (1, 2, 3)]
    result = run(load_recipe(SF / "recipe.yaml"), payload=json.dumps(pages).encode())
    assert volumes(result) == SALESFORCE_VOLUMES
    assert "<payload>" in result.records[0].origin


def test_a_payload_that_is_not_json_names_the_line() -> None:
    with pytest.raises(SourceError) as raised:
        run(load_recipe(SF / "recipe.yaml"), payload=b'{"totalSize": 1,\n "done": tru}')
    (problem,) = raised.value.problems
    assert (problem.rule, problem.line) == ("JSON syntax", 2)


def test_hubspot_tickets_are_aggregated() -> None:
    result = run_recipe(HS / "recipe.yaml")
    assert volumes(result) == {
        "reason/rekening-begrijpen|channel/email|2026-01": (2, 1, 0, Decimal("0.5")),
        "reason/nummer-meenemen|channel/chat|2026-01": (2, 1, 1, Decimal("0.5")),
        "reason/storing-melden|channel/telefoon|2026-01": (1, 1, 1, Decimal("0")),
        "reason/rekening-begrijpen|channel/web|2026-01": (1, 0, 0, Decimal("0")),
        "reason/rekening-begrijpen|channel/email|2026-02": (1, 0, 0, Decimal("1")),
        "reason/storing-melden|channel/telefoon|2026-02": (1, 0, 0, Decimal("1")),
    }
    assert result.read == 10
    assert result.unmapped == {
        "hs_ticket_category='PRODUCT_ISSUE'": 1,
        "archived='true' (excluded)": 1,
    }
    # The archived ticket is no case: the bookmark is the newest case read.
    assert result.bookmark == "2026-02-05T09:30:00.000Z"


def test_hubspot_incremental_from_a_bookmark() -> None:
    result = run_recipe(HS / "recipe.yaml", "2026-02-01T00:00:00Z")
    assert {k.rpartition("|")[2] for k in result.by_id} == {"2026-02"}


def test_dynamics_incidents_map_option_sets_by_code_and_lookups_by_name() -> None:
    result = run_recipe(DY / "recipe.yaml")
    assert volumes(result) == {
        "reason/rekening-begrijpen|channel/telefoon|2026-04": (2, 1, 1, Decimal("0.5")),
        # created 3 April 22:30 UTC = 4 April in Amsterdam; still April
        "reason/storing-melden|channel/web|2026-04": (1, 0, 0, Decimal("0")),
        "reason/nummer-meenemen|channel/email|2026-04": (1, 0, 0, Decimal("1")),
        "reason/storing-melden|channel/web|2026-05": (1, 1, 1, Decimal("0")),
        "reason/nummer-meenemen|channel/email|2026-05": (1, 0, 0, Decimal("0")),
    }
    assert result.unmapped == {
        "caseorigincode='Facebook'": 1,
        "statecode='Cancelled' (excluded by recipe)": 1,
    }
    assert result.read == 8


def test_dynamics_page_chain_is_checked() -> None:
    recipe = load_recipe(DY / "recipe.yaml").model_copy(
        update={"input": InputSpec(files=["incidents-page-1.json"])}
    )
    with pytest.raises(SourceError, match="not one complete answer"):
        run(recipe)


def test_batches_cut_records_and_keep_the_bookmark_for_the_last() -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(update={"batch_size": 2})
    result = run(recipe)
    assert [len(b.records) for b in result.batches] == [2, 2, 1]
    assert [b.bookmark for b in result.batches][:2] == [None, None]
    assert result.batches[0].read == 14
    assert volumes(result) == SALESFORCE_VOLUMES


def test_pages_out_of_order_are_refused() -> None:
    recipe = load_recipe(SF / "recipe.yaml").model_copy(
        update={
            "input": InputSpec(
                files=["cases-page-2.json", "cases-page-1.json", "cases-page-3.json"]
            )
        }
    )
    with pytest.raises(SourceError) as raised:
        run(recipe)
    assert {(p.file, p.property) for p in raised.value.problems} == {
        ("cases-page-2.json", "nextRecordsUrl"),
        ("cases-page-1.json", "nextRecordsUrl"),
    }
