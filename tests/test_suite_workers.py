"""The suite's xdist workers never share a Neo4j server (tests/conftest.py, tools/run-tests.sh).

Each case runs pytest in a child process on a small project whose conftest
is the suite's own hook, as ``make test`` runs the suite: with ``-n 2`` and
the environment tools/run-tests.sh sets. The URIs name no server: only
which worker is given which one is under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
URIS = ("bolt://127.0.0.1:1", "bolt://127.0.0.1:2")

CONFTEST = "from tests.conftest import pytest_configure  # the suite's hook, as it is\n"
RECORDING = """
import os
from pathlib import Path

import pytest


@pytest.mark.parametrize("n", range(8))
def test_records_its_worker_and_uri(n: int) -> None:
    seen = Path(os.environ["SEEN"]) / f"{os.environ['PYTEST_XDIST_WORKER']}-{n}"
    seen.write_text(os.environ["JOURNEYKG_NEO4J_URI"])
"""


def pytest_in(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``pytest -n 2 ARGS`` in ``project``, in this environment less our xdist and Neo4j."""
    (project / "conftest.py").write_text(CONFTEST)
    (project / "test_recording.py").write_text(RECORDING)
    ours = ("PYTEST_", "JOURNEYKG_NEO4J_URI")  # this run's worker, its server(s), its options
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    child_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-p", "no:cacheprovider", *args],
        cwd=project,
        env={**child_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_each_worker_takes_its_own_server(tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    seen.mkdir()
    env = {"JOURNEYKG_NEO4J_URIS": " ".join(URIS), "JOURNEYKG_NEO4J_URI": URIS[0]}
    done = pytest_in(tmp_path, {**env, "SEEN": str(seen)})
    assert done.returncode == 0, done.stdout + done.stderr
    by_worker: dict[str, set[str]] = {}
    for record in seen.iterdir():
        by_worker.setdefault(record.name.split("-")[0], set()).add(record.read_text())
    assert by_worker == {"gw0": {URIS[0]}, "gw1": {URIS[1]}}


def test_workers_that_would_share_a_server_are_refused(tmp_path: Path) -> None:
    done = pytest_in(tmp_path, {"JOURNEYKG_NEO4J_URI": URIS[0], "SEEN": str(tmp_path)})
    assert done.returncode == 4, done.stdout + done.stderr  # pytest's usage error
    assert "2 xdist workers need 2 Neo4j servers" in done.stderr
    assert "JOURNEYKG_NEO4J_URIS" in done.stderr
    assert list(tmp_path.glob("gw*")) == []  # no test ran
