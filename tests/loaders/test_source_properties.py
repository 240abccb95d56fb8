"""Property tests: whatever the input, a source yields batches or refuses it with problems.

Never an unexpected exception (a traceback is a bug). Bounded to keep the suite fast.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeykg.loaders.recipe import Recipe, RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sources import open_source
from journeykg.loaders.sources.crm_cases import flatten
from journeykg.validation.problems import LoadError
from tests.loaders.sources_helpers import FIXTURES, IDS

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)

RECIPES = {
    "salesforce": FIXTURES / "salesforce" / "recipe.yaml",
    "salesforce-bulk": FIXTURES / "salesforce" / "recipe-bulk.yaml",
    "hubspot": FIXTURES / "hubspot" / "recipe.yaml",
    "dynamics": FIXTURES / "dynamics" / "recipe.yaml",
    "survey": FIXTURES / "survey" / "recipe.yaml",
    "medallia": FIXTURES / "survey" / "recipe-medallia.yaml",
    "bpmn": FIXTURES / "bpmn" / "recipe.yaml",
    "csv-bundle": FIXTURES / "csv-bundle-bad" / "recipe.yaml",
}
_loaded: dict[str, Recipe] = {}


def recipe(name: str) -> Recipe:
    if name not in _loaded:
        _loaded[name] = load_recipe(RECIPES[name])
    return _loaded[name]


def read_or_refuse(name: str, payload: bytes, bookmark: str | None = None) -> None:
    """Read the payload; only batches or a LoadError (with problems) are acceptable."""
    source = open_source(recipe(name), IDS, payload=payload)
    try:
        for batch in source.read(bookmark):
            assert batch.read >= 0
            for record in batch.records:
                assert record.external_id
                assert len(record.graph) > 0
    except LoadError as exc:
        refused: LoadError | None = exc
    else:
        refused = None
    assert refused is None or str(refused)


@SETTINGS
@given(document=json_values, name=st.sampled_from(["salesforce", "hubspot", "dynamics"]))
def test_any_json_document(document: Any, name: str) -> None:
    read_or_refuse(name, json.dumps(document).encode())


case_fields = st.fixed_dictionaries(
    {},
    optional={
        "attributes": st.just({"type": "Case"}) | json_values,
        "Id": st.text(max_size=18) | st.integers(),
        "Origin": st.sampled_from(["Phone", "Web", "Email", ""]) | json_values,
        "Reason": st.sampled_from(["Nummerbehoud", "Factuur", "x"]) | json_values,
        "Type": st.sampled_from(["Complaint", "Question"]) | json_values,
        "Status": st.sampled_from(["Closed", "New"]) | json_values,
        "IsEscalated": st.booleans() | json_values,
        "CreatedDate": st.sampled_from(["2026-03-02T09:00:00.000+0000", "2026-13-45", ""])
        | st.datetimes().map(lambda d: d.isoformat())
        | json_values,
        "ClosedDate": st.none() | st.datetimes().map(lambda d: d.isoformat()) | json_values,
        "LastModifiedDate": st.datetimes().map(lambda d: d.isoformat()) | json_values,
    },
)


def _flatten_as_before(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    # crm.flatten before its shortcut for records without related records
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict) and "attributes" in value:
            flat.update(_flatten_as_before(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


related = st.fixed_dictionaries(
    {"attributes": st.just({"type": "User"})}, optional={"Name": json_values, "Id": json_values}
)


@SETTINGS
@given(
    record=st.dictionaries(
        st.sampled_from(["Id", "Owner", "Origin", "attributes", "Account", "x"]),
        json_values | related | st.dictionaries(st.just("Owner"), related),
    )
)
def test_flatten_gives_what_it_gave_before_its_shortcut(record: dict[str, Any]) -> None:
    assert dict(flatten(record)) == _flatten_as_before(record)


@SETTINGS
@given(records=st.lists(case_fields, max_size=6), bookmark=st.none() | st.text(max_size=25))
def test_salesforce_pages_with_arbitrary_records(
    records: list[dict[str, Any]], bookmark: str | None
) -> None:
    page = {"totalSize": len(records), "done": True, "records": records}
    read_or_refuse("salesforce", json.dumps(page).encode(), bookmark)


@SETTINGS
@given(
    tickets=st.lists(
        st.fixed_dictionaries(
            {"id": st.text(max_size=5)},
            optional={
                "properties": st.dictionaries(
                    st.sampled_from(
                        [
                            "createdate",
                            "closed_date",
                            "hs_ticket_category",
                            "source_type",
                            "ticket_type",
                            "hs_pipeline_stage",
                            "hs_ticket_priority",
                        ]
                    ),
                    st.none() | st.text(max_size=25),
                )
                | json_values,
                "updatedAt": st.text(max_size=25),
                "archived": st.booleans() | json_values,
            },
        ),
        max_size=5,
    )
)
def test_hubspot_pages_with_arbitrary_tickets(tickets: list[dict[str, Any]]) -> None:
    read_or_refuse("hubspot", json.dumps({"results": tickets}).encode(), "2026-01-01T00:00:00Z")


csv_text = st.lists(
    st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12), max_size=8),
    max_size=8,
).map(lambda rows: "\n".join(",".join(row) for row in rows))


@SETTINGS
@given(
    text=csv_text | st.text(max_size=200),
    name=st.sampled_from(["salesforce-bulk", "survey", "medallia"]),
)
def test_any_csv_text(text: str, name: str) -> None:
    read_or_refuse(name, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(
    files=st.dictionaries(
        st.sampled_from(
            [
                "journeys.csv",
                "steps.csv",
                "touchpoints.csv",
                "processes.csv",
                "dependencies.csv",
                "volumes.csv",
                "kpis.csv",
                "kpi-values.csv",
                "owners.csv",
                "costs.csv",
                "x.csv",
            ]
        ),
        csv_text,
        max_size=5,
    )
)
def test_any_csv_bundle(files: dict[str, str]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8", "surrogatepass"))
    read_or_refuse("csv-bundle", buffer.getvalue())


MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
xml_names = st.sampled_from(
    [
        "process",
        "subProcess",
        "callActivity",
        "lane",
        "laneSet",
        "flowNodeRef",
        "task",
        "participant",
        "collaboration",
        "childLaneSet",
        "transaction",
    ]
)


@st.composite
def bpmn_documents(draw: st.DrawFn, depth: int = 0) -> str:
    def element(level: int) -> str:
        tag = draw(xml_names)
        attrs = draw(
            st.dictionaries(
                st.sampled_from(["id", "name", "calledElement", "processRef"]),
                st.text(alphabet="abcXYZ-_ 1é", max_size=6),
                max_size=3,
            )
        )
        rendered = "".join(
            f' {k}="{v.replace("&", "&amp;").replace(chr(34), "&quot;").replace("<", "&lt;")}"'
            for k, v in attrs.items()
        )
        children = (
            "" if level > 2 else "".join(element(level + 1) for _ in range(draw(st.integers(0, 3))))
        )
        text = draw(st.sampled_from(["", "a", "Task_1"]))
        return f"<bpmn:{tag}{rendered}>{text}{children}</bpmn:{tag}>"

    body = "".join(element(0) for _ in range(draw(st.integers(0, 3))))
    return f'<bpmn:definitions xmlns:bpmn="{MODEL}">{body}</bpmn:definitions>'


@SETTINGS
@given(document=bpmn_documents() | st.text(max_size=200))
def test_any_bpmn_like_xml(document: str) -> None:
    read_or_refuse("bpmn", document.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(
    data=st.dictionaries(
        st.sampled_from(["name", "kind", "mode", "input", "crm", "survey", "bpmn", "csv", "extra"]),
        json_values,
        max_size=6,
    )
    | json_values
)
def test_any_recipe_is_a_recipe_or_a_recipe_error(data: Any) -> None:
    problems = []
    try:
        parse_recipe(json.dumps(data), "fuzz.yaml")  # JSON is YAML
    except RecipeError as exc:
        problems = exc.problems
        assert problems
    assert all(p.file == "fuzz.yaml" for p in problems)


# --- edges that property tests rarely reach --------------------------------------------


def test_json_nested_beyond_recursion_is_refused() -> None:
    read_or_refuse("salesforce", b"[" * 100_000)


def test_timestamps_at_the_end_of_time_are_bad_values_not_crashes() -> None:
    page = {
        "totalSize": 2,
        "done": True,
        "records": [
            {
                "attributes": {"type": "Case"},
                "Id": "500A",
                "Origin": "Phone",
                "Reason": "Factuur",
                "CreatedDate": "9999-12-31T23:30:00+00:00",
                # the fields the recipe names (a recipe is checked against the export)
                **{"Type": "Question", "IsEscalated": False, "Status": "New", "ClosedDate": None},
            },
            {
                "attributes": {"type": "Case"},
                "Id": "500B",
                "Origin": "Phone",
                "Reason": "Factuur",
                "CreatedDate": "0001-01-01T00:10:00+01:00",
                # the fields the recipe names (a recipe is checked against the export)
                **{"Type": "Question", "IsEscalated": False, "Status": "New", "ClosedDate": None},
            },
        ],
    }
    source = open_source(recipe("salesforce"), IDS, payload=json.dumps(page).encode())
    (batch,) = list(source.read(None))
    assert [p.node for p in batch.rejected] == ["500A", "500B"]


def test_sub_processes_nested_absurdly_deep_are_cut_off() -> None:
    depth = 400
    body = "".join(f'<subProcess id="s{i}">' for i in range(depth)) + "</subProcess>" * depth
    xml = f'<definitions xmlns="{MODEL}"><process id="p">{body}</process></definitions>'
    source = open_source(recipe("bpmn"), IDS, payload=xml.encode())
    (batch,) = list(source.read(None))
    assert any("nest at most" in p.rule for p in batch.rejected)


def test_a_corrupt_zip_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("journeys.csv", "id,label_nl\n" * 200)
    data = bytearray(buffer.getvalue())
    data[60:80] = b"\x00" * 20  # inside the compressed stream
    read_or_refuse("csv-bundle", bytes(data))


def test_a_deeply_nested_recipe_is_a_recipe_error() -> None:
    import pytest

    with pytest.raises(RecipeError) as raised:
        parse_recipe("a: " + "[" * 1500 + "]" * 1500, "deep.yaml")
    assert raised.value.problems[0].file == "deep.yaml"
