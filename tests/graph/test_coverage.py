"""The coverage report on the demo (exact findings) on both backends."""

from __future__ import annotations

from journeykg.graph.coverage import coverage_report
from journeykg.graph.store import Store
from journeykg.loaders import load_file
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET


def test_coverage_of_the_demo_with_its_glossary(store: Store) -> None:
    load_file(store, DEMO_DATASET)
    load_file(store, GLOSSARY_DATASET)
    report = coverage_report(store)
    assert {rule: len(items) for rule, items in report.by_rule().items()} == {
        "Coverage-ContactReasonWithoutJourney": 12,
        "Coverage-ElementWithoutDefinition": 9,
    }
    undefined = [f.element for f in report.by_rule()["Coverage-ElementWithoutDefinition"]]
    assert undefined == [
        "jkg:ContactVolume",
        "jkg:Cost",
        "jkg:DefinitionStatus",
        "jkg:Glossary",
        "jkg:KPIType",
        "jkg:LifecycleFramework",
        "jkg:OwnerRole",
        "jkg:Role",
        "jkg:Scenario",
    ]
    assert all(f.severity in ("Warning", "Info") for f in report.findings)
    assert report.as_json()["counts"]["Coverage-ContactReasonWithoutJourney"] == 12
