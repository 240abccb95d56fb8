"""Real input for the CLI and REST sync tests: the Salesforce recipe and case pages of
tests/loaders/fixtures/salesforce/, over the part of the demo framework they point at
(tests/fixtures/sync_framework.ttl).

The clean input is the fixture's three-page query answer: 14 cases, 5 contact volumes
(reason x channel x month), 4 cases unmapped (``Installatie storing``, ``Social``).
The bad input is one complete page with two good cases and two bad ones: a case whose
reason the recipe maps to ``reason/storing-melden``, which the framework does not have
(its aggregate is refused by the SHACL gate), and a case with an unreadable creation time
(refused by the source).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import FIXTURES

SALESFORCE = Path(__file__).parent / "loaders" / "fixtures" / "salesforce"
RECIPE = SALESFORCE / "recipe.yaml"
PAGES = sorted(SALESFORCE.glob("cases-page-*.json"))
FRAMEWORK = FIXTURES / "sync_framework.ttl"
NAME = "salesforce-service-cloud"

#: The aggregates of the clean input (external ids).
CLEAN_IDS = {
    "reason/nummer-meenemen|channel/telefoon|2026-02",
    "reason/nummer-meenemen|channel/telefoon|2026-03",
    "reason/rekening-begrijpen|channel/email|2026-02",
    "reason/rekening-begrijpen|channel/web|2026-02",
    "reason/rekening-begrijpen|channel/web|2026-03",
}
#: The aggregate of the bad page that the gate refuses.
REFUSED_ID = "reason/storing-melden|channel/telefoon|2026-02"
#: The case of the bad page that the source cannot read.
UNREADABLE_CASE = "5003X00002AbC99QAF"


def _fixture_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in PAGES:
        cases.extend(json.loads(path.read_text(encoding="utf-8"))["records"])
    return cases


def page(records: list[dict[str, Any]]) -> dict[str, Any]:
    """One complete REST query page (``done: true``) holding ``records``."""
    return {"totalSize": len(records), "done": True, "records": records}


def chain() -> list[dict[str, Any]]:
    """The fixture's pages, as the JSON array a client POSTs for a whole chain."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in PAGES]


def bad_page() -> dict[str, Any]:
    """Two good cases (one aggregate: 2 contacts), one the gate refuses, one unreadable."""
    good = [c for c in _fixture_cases() if c["Id"] in ("5003X00002AbC01QAF", "5003X00002AbC02QAF")]
    storing = copy.deepcopy(good[0])
    storing.update(Id="5003X00002AbC98QAF", CaseNumber="00001098", Reason="Storing")
    storing["attributes"]["url"] = "/services/data/v60.0/sobjects/Case/5003X00002AbC98QAF"
    unreadable = copy.deepcopy(good[0])
    unreadable.update(Id=UNREADABLE_CASE, CaseNumber="00001099", CreatedDate="gisteren")
    unreadable["attributes"]["url"] = f"/services/data/v60.0/sobjects/Case/{UNREADABLE_CASE}"
    return page([*good, storing, unreadable])


def recipes_dir(directory: Path) -> Path:
    """``directory`` holding the fixture recipe (no pages: REST posts them)."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(RECIPE, directory / RECIPE.name)
    return directory


def clean_recipe(directory: Path) -> Path:
    """The fixture recipe with its three pages, copied to ``directory``; the recipe's path."""
    recipes_dir(directory)
    for path in PAGES:
        shutil.copy(path, directory / path.name)
    return directory / RECIPE.name


def bad_recipe(directory: Path) -> Path:
    """The fixture recipe with :func:`bad_page` as its one page; the recipe's path."""
    recipes_dir(directory)
    (directory / "cases-page-1.json").write_text(json.dumps(bad_page()), encoding="utf-8")
    return directory / RECIPE.name
