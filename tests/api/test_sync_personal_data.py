"""No personal data in what ``POST /sync/{source}`` answers or logs, for every registered
kind, on both backends: the REST twin of tests/loaders/test_no_personal_data.py.

The body is what the recipe's file holds (a CSV bundle: a ZIP of its CSV files), laden
with one person (tests/loaders/pii_inputs.py); the answers of a real, a dry and a strict
run, every log record at DEBUG and the graph afterwards are scanned for her.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.graph.export import export_bytes
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from tests.api.conftest import MakeClient
from tests.loaders.pii_inputs import WRITERS, leaks


def body(directory: Path) -> bytes:
    """The input as a client POSTs it: its one file, or a ZIP of a bundle's CSV files."""
    files = sorted(p for p in directory.iterdir() if p.name != "recipe.yaml")
    if len(files) == 1:
        return files[0].read_bytes()
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for file in files:
            archive.write(file, file.name)
    return packed.getvalue()


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_no_planted_value_reaches_an_answer_or_a_log(
    kind: str,
    store: Store,
    tmp_path: Path,
    make_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    recipe = WRITERS[kind](tmp_path / "recipes")
    name = recipe.read_text(encoding="utf-8").split("name: ", 1)[1].split("\n", 1)[0]
    client = make_client(store, Role.INTEGRATOR, recipes_dir=recipe.parent)
    caplog.set_level(logging.DEBUG)
    outputs: dict[str, str] = {}
    for params in ({}, {"dry_run": "true"}, {"strict": "true"}):
        answer = client.post(f"/sync/{name}", content=body(recipe.parent), params=params)
        assert answer.status_code == 200, answer.text
        outputs[f"POST {params}"] = answer.text
    outputs["the graph"] = export_bytes(store, "nt")[0].decode()
    outputs["the logs"] = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    assert leaks(outputs) == []
