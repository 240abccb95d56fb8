"""The command line beside a running server that holds the embedded store.

A real ``journeykg serve`` runs in a subprocess on 127.0.0.1; the commands
run in processes of their own, as a user in a second terminal runs them.
Reads work (the store is opened read-only beside the server); a write is
refused with the server's address and how to make the change through it,
and leaves the graph, the history and the trail as they were; a change made
through the server's API with a token minted beside it shows in the next read.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.cli.server_marker import FILE_NAME as SERVER_NOTE
from tests.cli.test_governance import APPROVE, PROPOSE
from tests.conftest import BASE, FIXTURES, state_beside
from tests.services.governance.conftest import BOARD

#: Every wait in this module is bounded: a server that does not come up fails the test.
START_SECONDS = 90
COMMAND_SECONDS = 120


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    where = tmp_path / "kg"
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(where))
    runner = CliRunner()
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        assert runner.invoke(app, ["load", str(fixture)]).exit_code == 0
    proposed = runner.invoke(app, ["governance", *PROPOSE])
    assert proposed.exit_code == 0, proposed.output
    # What the CLI answers with nobody else holding the store, to compare with later.
    alone = runner.invoke(app, ["impact", "process/x", "--json"])
    assert alone.exit_code == 0, alone.output
    (tmp_path / "impact-alone.json").write_text(alone.stdout)
    return where


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def server(store_dir: Path, tmp_path: Path) -> Iterator[str]:
    """``journeykg serve`` holding the store, in its own process; its base URL."""
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "journeykg", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(0.5)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def journeykg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A command in a process of its own, as from a second terminal."""
    return subprocess.run(
        [sys.executable, "-m", "journeykg", *args],
        capture_output=True,
        text=True,
        timeout=COMMAND_SECONDS,
        cwd=cwd,
        env=os.environ.copy(),
        check=False,
    )


def ok(*args: str, cwd: Path) -> str:
    done = journeykg(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def snapshot(cwd: Path) -> tuple[set[str], str, str]:
    """The stored graph, the concept's history and the trail, read beside the server."""
    target = cwd / f"dump-{len(list(cwd.glob('dump-*')))}.nt"
    ok("export", str(target), cwd=cwd)
    history = ok("governance", "history", "concept/fcr", "--json", cwd=cwd)
    return set(target.read_text().splitlines()), history, ok("audit", "--json", cwd=cwd)


def test_reads_work_and_writes_say_how_to_make_them(
    server: str, store_dir: Path, tmp_path: Path
) -> None:
    note = json.loads((state_beside(store_dir) / SERVER_NOTE).read_text())
    assert note["url"] == f"{server}/graphql"

    # Reads, each in its own process, while the server holds the store.
    impact = json.loads(ok("impact", "process/x", "--json", cwd=tmp_path))
    assert impact == json.loads((tmp_path / "impact-alone.json").read_text())
    assert impact["elements"]["totalCount"] > 10
    assert json.loads(ok("priorities", "--json", cwd=tmp_path))[0]["journey"]["id"] == "journey/j"
    shown = json.loads(ok("governance", "show", "concept/fcr", "--json", cwd=tmp_path))
    assert shown["status"] == "proposed"
    before = snapshot(tmp_path)
    assert any('"Eerste-contactoplossing"@nl' in line for line in before[0])
    actions = [e["action"] for e in json.loads(before[2])["entries"]]
    assert actions == ["cli:governance propose", "cli:load", "cli:load"]

    # Writes are refused, with the server's address and the way through it.
    for write in (
        ["load", str(FIXTURES / "impact_small.ttl")],
        ["governance", *APPROVE, "--role", "steward"],
        ["demo", "--no-serve"],
    ):
        refused = journeykg(*write, cwd=tmp_path)
        assert refused.returncode == 3, refused.stderr
        said = " ".join(refused.stderr.split())
        assert f"held by the journeykg server at {server}/graphql" in said
        assert "this command writes" in said
        assert "with a token" in said
        assert "journeykg token create --role steward" in said
        assert "stop the server" in said
    assert snapshot(tmp_path) == before

    # The way it names works: a token minted beside the server, a mutation through it.
    token = ok(
        "token", "create", "--role", "steward", "--name", "board", "--reason", "beslissen",
        cwd=tmp_path,
    ).strip()  # fmt: skip
    approved = httpx.post(
        f"{server}/graphql",
        json={
            "query": 'mutation { approve(id: "concept/fcr", by: "owner/steward", '
            'rationale: "Besloten in de board") { __typename } }'
        },
        headers={"Authorization": f"Bearer {token}"},
        timeout=COMMAND_SECONDS,
    )
    assert approved.json() == {"data": {"approve": {"__typename": "ConceptChanged"}}}
    shown = json.loads(ok("governance", "show", "concept/fcr", "--json", cwd=tmp_path))
    assert shown["status"] == "approved"
    newest = json.loads(ok("audit", "--json", "--limit", "2", cwd=tmp_path))["entries"]
    assert [(e["actor"], e["action"], e["reason"]) for e in newest] == [
        ("board", "graphql:approve", "Besloten in de board"),
        (newest[1]["actor"], "cli:token create", "beslissen"),
    ]


def test_the_server_takes_its_note_with_it(server: str, store_dir: Path) -> None:
    note = state_beside(store_dir) / SERVER_NOTE
    assert note.exists()
    pid = json.loads(note.read_text())["pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while note.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not note.exists()
