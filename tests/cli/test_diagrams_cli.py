"""Diagrams from the CLI, GraphQL and REST are one drawing, on each backend.

``journeykg impact --format`` asks GraphQL's ``impact { diagram }`` in-process;
``GET /impact/<id>.<fmt>`` draws through the same service. All three must give
the same bytes, and those bytes hold the answer's elements and path edges.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from journeykg import bootstrap
from journeykg.api.app import create_app
from journeykg.cli.app import app
from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.settings import Settings
from tests.services.diagrams.drawn import (
    answer_edges,
    answer_nodes,
    dot_graph,
    png_size,
    svg_graph,
)

runner = CliRunner()

DIAGRAM = (
    "query($of: ID!, $format: DiagramFormat!) { impact(of: $of) {"
    " diagram(format: $format, language: EN) { format mediaType encoding content clustered } } }"
)


@pytest.fixture
def demo(backend: Settings) -> Settings:
    loaded = runner.invoke(app, ["load", str(DEMO_DATASET)])
    assert loaded.exit_code == 0, loaded.output
    return backend


@pytest.fixture
def served(demo: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, Store]]:
    """The app over the CLI's store (opened after the CLI's load), closed after the test."""
    store = bootstrap.open_store(demo)
    settings = Settings(
        base_iri=demo.base_iri, anonymous_read=True, state_dir=tmp_path / "api-state"
    )
    with TestClient(create_app(store, settings=settings)) as client:
        yield client, store
    store.close()


@pytest.mark.parametrize("fmt", ["svg", "dot", "mermaid", "png"])
def test_cli_graphql_and_rest_draw_the_same(
    served: tuple[TestClient, Store], tmp_path: Path, fmt: str
) -> None:
    drawn = tmp_path / f"kredietcheck.{fmt}"
    result = runner.invoke(
        app,
        ["impact", "process/kredietcheck", "--format", fmt, "--lang", "en", "--out", str(drawn)],
    )
    assert result.exit_code == 0, result.output
    from_cli = drawn.read_bytes()

    client, store = served
    asked = client.post(
        "/graphql",
        json={
            "query": DIAGRAM,
            "variables": {"of": "process/kredietcheck", "format": fmt.upper()},
        },
    ).json()["data"]["impact"]["diagram"]
    rest = client.get(f"/impact/process/kredietcheck.{fmt}", params={"lang": "en"})
    assert rest.status_code == 200
    assert rest.headers["content-type"].split(";")[0] == asked["mediaType"].split(";")[0]
    from_graphql = (
        base64.b64decode(asked["content"])
        if asked["encoding"] == "base64"
        else asked["content"].encode()
    )
    assert from_cli == from_graphql == rest.content
    answer = impact(store, "process/kredietcheck")
    if fmt == "svg":
        nodes, edges, _ = svg_graph(from_cli)
        assert (nodes, edges) == (answer_nodes(answer), answer_edges(answer))
    elif fmt == "dot":
        assert dot_graph(from_cli.decode()) == (answer_nodes(answer), answer_edges(answer))
    elif fmt == "png":
        assert min(png_size(from_cli)) > 200


def test_stdout_gets_the_text_formats(demo: Settings) -> None:
    result = runner.invoke(app, ["impact", "process/kredietcheck", "--format", "mermaid"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith('---\ntitle: "Wat een wijziging van Kredietcheck raakt"')


def test_the_lifecycle_picture(served: tuple[TestClient, Store]) -> None:
    result = runner.invoke(app, ["lifecycle", "--format", "svg", "--lang", "en"])
    assert result.exit_code == 0, result.output
    nodes, _, texts = svg_graph(result.stdout_bytes)
    assert "reason/storing-melden" in nodes
    assert "Lifecycle picture" in texts
    client, _ = served
    picture = client.get("/lifecycle.svg", params={"lang": "en"})
    assert picture.headers["content-type"] == "image/svg+xml"
    assert picture.content == result.stdout_bytes


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["impact", "process/kredietcheck", "--format", "gif"], 2, "'gif' is not one of svg"),
        (["impact", "process/kredietcheck", "--format", "svg", "--lang", "de"], 2, "'de' is not"),
        (["impact", "nope/x", "--format", "svg"], 2, "unknown element 'nope/x'"),
        (["lifecycle", "--format", "pdf"], 2, "'pdf' is not one of svg"),
    ],
)
def test_bad_requests_are_told(demo: Settings, args: list[str], code: int, said: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == code
    assert said in " ".join(result.output.split())


def test_rest_refusals(served: tuple[TestClient, Store]) -> None:
    client, _ = served
    assert client.get("/impact/nope/x.svg").status_code == 404
    bad = client.get("/impact/process/kredietcheck.gif")
    assert bad.status_code == 400
    assert "format: 'gif'" in bad.json()["detail"]
    assert client.get("/impact/process/kredietcheck.svg?via=NOPE").status_code == 400
    assert client.get("/lifecycle.svg?lang=de").status_code == 422
