"""CRM pages read by worker processes give exactly what the serial read gives."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from journeykg.loaders.recipe import Recipe, load_recipe
from journeykg.loaders.sources import SourceError, crm_parallel, open_source
from journeykg.loaders.sources._common import (
    InputPath,
    input_files,
    input_paths,
    parse_bookmark,
)
from journeykg.loaders.sources.crm import CrmSource
from journeykg.loaders.sources.crm_cases import Counted
from tests.loaders.sources_helpers import FIXTURES, IDS, Run

SF, HS, DY = FIXTURES / "salesforce", FIXTURES / "hubspot", FIXTURES / "dynamics"
SF_TEMPLATE = json.loads((SF / "cases-page-1.json").read_text())["records"][0]


def salesforce_chain(directory: Path, pages: int, per_page: int, seed: int) -> Path:
    """A chain of query pages with cases around month ends (the time zone decides the
    month), unmapped reasons and channels, escalations, complaints and broken records."""
    rng = random.Random(seed)
    total = pages * per_page
    number = 0
    for page in range(pages):
        records: list[Any] = []
        for _ in range(per_page):
            number += 1
            case = dict(SF_TEMPLATE, Id=f"5003X{number:013d}")
            month = rng.choice([1, 2, 3, 12])
            day = rng.choice([1, 2, 15, 28, 29, 30, 31][: 5 if month == 2 else 7])
            year = 2026 if month != 12 else 2025
            hour, minute = rng.randrange(24), rng.randrange(60)
            created = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00.000+0000"
            case.update(
                CreatedDate=created,
                LastModifiedDate=created,
                ClosedDate=created if rng.random() < 0.7 else None,
                Status=rng.choice(["Closed", "New"]),
                Reason=rng.choice(["Nummerbehoud", "Factuur", "Storing", "Onbekend"]),
                Origin=rng.choice(["Phone", "Email", "Web", "Chat", "Social"]),
                Type=rng.choice(["Complaint", "Question"]),
                IsEscalated=rng.random() < 0.2,
            )
            roll = rng.random()
            if roll < 0.02:
                case["CreatedDate"] = "yesterday"
            elif roll < 0.03:
                case["attributes"] = {"type": "Account"}
            elif roll < 0.04:
                case = "not an object"  # type: ignore[assignment]
            records.append(case)
        last = page == pages - 1
        body = {
            "totalSize": total,
            "done": last,
            "records": records,
            **(
                {}
                if last
                else {"nextRecordsUrl": f"/services/data/v60.0/query/01gX-{(page + 1) * per_page}"}
            ),
        }
        (directory / f"cases-page-{page + 1:03d}.json").write_text(json.dumps(body))
    (directory / "recipe.yaml").write_text((SF / "recipe.yaml").read_text())
    return directory / "recipe.yaml"


def both_reads(recipe: Recipe, base: Path, bookmark: str | None) -> tuple[Counted, Counted]:
    source = open_source(recipe, IDS, recipe_dir=base)
    assert isinstance(source, CrmSource)
    files = input_files(recipe, None, base)
    since = parse_bookmark(bookmark, recipe.name) if source.incremental else None
    parallel = crm_parallel.read_in_parallel(source, files, since)
    assert parallel is not None
    return source.count_serially(files, since), parallel


def assert_same(serial: Counted, parallel: Counted) -> None:
    assert parallel.groups == serial.groups
    assert parallel.unmapped == serial.unmapped
    assert parallel.rejected == serial.rejected  # same problems, same order
    assert (parallel.read, parallel.newest) == (serial.read, serial.newest)


RECIPES = [SF / "recipe.yaml", HS / "recipe.yaml", DY / "recipe.yaml"]


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("bookmark", [None, "2026-02-01T00:00:00Z", "2026-03-06T00:00:00Z"])
def test_each_vendor_fixture_counts_the_same_in_workers(path: Path, bookmark: str | None) -> None:
    recipe = load_recipe(path)
    if bookmark is not None:
        recipe = recipe.model_copy(update={"mode": "incremental"})
    assert_same(*both_reads(recipe, path.parent, bookmark))


@pytest.mark.parametrize("bookmark", [None, "2026-01-31T23:30:00Z", "2026-03-01T00:00:00Z"])
def test_a_generated_multi_page_chain_counts_the_same_in_workers(
    tmp_path: Path, bookmark: str | None
) -> None:
    # 40 pages: workers read runs of several files (about eight runs per worker)
    path = salesforce_chain(tmp_path, pages=40, per_page=60, seed=7)
    recipe = load_recipe(path)
    if bookmark is not None:
        recipe = recipe.model_copy(update={"mode": "incremental"})
    serial, parallel = both_reads(recipe, tmp_path, bookmark)
    # the fixture bites: rejected records, unmapped values, aggregates of several months
    assert serial.rejected
    assert serial.unmapped
    assert len(serial.groups) >= 8
    assert_same(serial, parallel)


def test_read_uses_the_pool_above_the_threshold_and_yields_the_same_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = salesforce_chain(tmp_path, pages=5, per_page=300, seed=3)
    recipe = load_recipe(path)
    serial = Run(list(open_source(recipe, IDS, recipe_dir=tmp_path).read(None)))
    files = input_files(recipe, None, tmp_path)
    assert not crm_parallel.worth_a_pool(files)  # small inputs stay serial
    monkeypatch.setattr(crm_parallel, "MIN_BYTES", 0)
    # Two workers even on a one-core machine: the pool is what is tested, never skipped.
    monkeypatch.setattr(crm_parallel, "_workers", lambda files: min(files, 2))
    assert crm_parallel.worth_a_pool(files)
    used: list[int] = []
    real = crm_parallel.read_in_parallel

    def counting(*args: Any) -> Counted | None:
        used.append(1)
        return real(*args)

    monkeypatch.setattr(crm_parallel, "read_in_parallel", counting)
    parallel = Run(list(open_source(recipe, IDS, recipe_dir=tmp_path).read(None)))
    assert used == [1]
    assert [(r.external_id, r.origin) for r in parallel.records] == [
        (r.external_id, r.origin) for r in serial.records
    ]
    for mine, theirs in zip(parallel.records, serial.records, strict=True):
        assert set(mine.graph) == set(theirs.graph)
    assert (parallel.rejected, parallel.unmapped, parallel.read, parallel.bookmark) == (
        serial.rejected,
        serial.unmapped,
        serial.read,
        serial.bookmark,
    )


def test_a_case_on_two_pages_falls_back_to_the_serial_read(tmp_path: Path) -> None:
    path = salesforce_chain(tmp_path, pages=4, per_page=50, seed=5)
    last = tmp_path / "cases-page-004.json"
    page = json.loads(last.read_text())
    first = json.loads((tmp_path / "cases-page-001.json").read_text())
    moved = next(r for r in first["records"] if isinstance(r, dict) and "Id" in r)
    # the same case, modified later and moved to another reason, again on the last page
    page["records"].append(
        dict(moved, LastModifiedDate="2026-04-01T00:00:00.000+0000", Reason="Storing")
    )
    last.write_text(json.dumps(page))
    recipe = load_recipe(path)
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    files = input_files(recipe, None, tmp_path)
    assert crm_parallel.read_in_parallel(source, files, None) is None


def test_a_broken_page_raises_the_serial_reads_error_from_a_worker(tmp_path: Path) -> None:
    path = salesforce_chain(tmp_path, pages=4, per_page=20, seed=1)
    (tmp_path / "cases-page-003.json").write_text('{"totalSize": 80,\n "done": tru}')
    recipe = load_recipe(path)
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    files = input_files(recipe, None, tmp_path)
    with pytest.raises(SourceError) as serial:
        source.count_serially(files, None)
    with pytest.raises(SourceError) as parallel:
        crm_parallel.read_in_parallel(source, files, None)
    assert str(parallel.value) == str(serial.value)
    assert parallel.value.problems == serial.value.problems


def test_a_broken_chain_is_refused_from_the_envelopes(tmp_path: Path) -> None:
    path = salesforce_chain(tmp_path, pages=4, per_page=20, seed=2)
    (tmp_path / "cases-page-002.json").unlink()
    recipe = load_recipe(path)
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    files = input_files(recipe, None, tmp_path)
    with pytest.raises(SourceError) as serial:
        source.count_serially(files, None)
    with pytest.raises(SourceError) as parallel:
        crm_parallel.read_in_parallel(source, files, None)
    assert parallel.value.problems == serial.value.problems


def _both_refuse(tmp_path: Path, path: Path) -> tuple[SourceError, SourceError]:
    recipe = load_recipe(path)
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    files = input_files(recipe, None, tmp_path)
    with pytest.raises(SourceError) as serial:
        source.count_serially(files, None)
    with pytest.raises(SourceError) as parallel:
        crm_parallel.read_in_parallel(source, files, None)
    return serial.value, parallel.value


def test_a_recipe_field_the_export_lacks_is_refused_by_the_workers(tmp_path: Path) -> None:
    path = salesforce_chain(tmp_path, pages=4, per_page=20, seed=3)
    path.write_text(path.read_text().replace("field: IsEscalated", "field: IsEscalatd"))
    serial, parallel = _both_refuse(tmp_path, path)
    assert parallel.problems == serial.problems
    assert [p.property for p in parallel.problems] == ["crm.escalation.field"]


def test_the_workers_envelopes_keep_the_ids_that_show_a_record_missing(tmp_path: Path) -> None:
    # a case of page 1 again on page 4, in place of another: the counts add up, but one
    # record of the answer is missing; the envelopes must carry the ids to see it
    path = salesforce_chain(tmp_path, pages=4, per_page=20, seed=6)
    first = json.loads((tmp_path / "cases-page-001.json").read_text())
    last = tmp_path / "cases-page-004.json"
    page = json.loads(last.read_text())
    page["records"][0] = next(r for r in first["records"] if isinstance(r, dict) and "Id" in r)
    last.write_text(json.dumps(page))
    serial, parallel = _both_refuse(tmp_path, path)
    assert parallel.problems == serial.problems
    assert [p.property for p in parallel.problems] == ["totalSize"]


@pytest.mark.parametrize("bookmark", [None, "2026-01-31T23:30:00Z"])
def test_workers_that_read_the_files_themselves_count_the_same(
    tmp_path: Path, bookmark: str | None
) -> None:
    # read() hands the workers paths, not bytes
    path = salesforce_chain(tmp_path, pages=12, per_page=40, seed=11)
    recipe = load_recipe(path)
    if bookmark is not None:
        recipe = recipe.model_copy(update={"mode": "incremental"})
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    since = parse_bookmark(bookmark, recipe.name) if source.incremental else None
    paths = list(input_paths(recipe, tmp_path))
    assert all(isinstance(p, InputPath) for p in paths)
    parallel = crm_parallel.read_in_parallel(source, paths, since)
    assert parallel is not None
    serial = source.count_serially(input_files(recipe, None, tmp_path), since)
    assert serial.rejected
    assert_same(serial, parallel)


def test_a_file_that_cannot_be_read_wins_over_an_earlier_broken_page(tmp_path: Path) -> None:
    # The serial read reads every file before it parses one: the unreadable file is what it
    # reports, even when an earlier page does not parse. So must the workers.
    path = salesforce_chain(tmp_path, pages=6, per_page=20, seed=4)
    (tmp_path / "cases-page-002.json").write_text('{"totalSize": 120,\n "done": tru}')
    recipe = load_recipe(path)
    source = open_source(recipe, IDS, recipe_dir=tmp_path)
    assert isinstance(source, CrmSource)
    paths = list(input_paths(recipe, tmp_path))
    with pytest.raises(SourceError) as broken:
        crm_parallel.read_in_parallel(source, paths, None)
    assert "cases-page-002.json" in str(broken.value.problems)
    (tmp_path / "cases-page-005.json").unlink()  # found, then gone before it is read
    with pytest.raises(SourceError) as serial:
        source.count_serially([p.read() for p in paths], None)
    with pytest.raises(SourceError) as parallel:
        crm_parallel.read_in_parallel(source, paths, None)
    assert str(serial.value).startswith(f"cannot read {tmp_path / 'cases-page-005.json'}")
    assert str(parallel.value) == str(serial.value)
    assert parallel.value.problems == serial.value.problems
