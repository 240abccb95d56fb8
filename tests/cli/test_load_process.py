"""``journeykg load`` as its own process: it ends without freeing the load's heap, output intact.

The console script ends a load with ``os._exit`` once its store and journal are
closed (cli/app.py ``_end_without_teardown``): the collector's walk over a large
load's objects and the interpreter's teardown cost seconds at 1M nodes. These
run it as a user does, a process of its own, so that the exit is the real one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from journeykg.resources import DEMO_DATASET


def _journeykg(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_STORE_DIR": str(tmp_path / "store"),
        "HOME": str(tmp_path),
    }
    env.pop("JOURNEYKG_NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "journeykg", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_load_ends_with_its_report_printed_and_its_writes_kept(tmp_path: Path) -> None:
    loaded = _journeykg(tmp_path, "load", str(DEMO_DATASET))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("loaded ")
    assert "warning(s))" in loaded.stdout  # the whole line, flushed before the exit
    exported = _journeykg(tmp_path, "export", str(tmp_path / "out.nt"))
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out.nt").stat().st_size > 0
    # The audit journal was closed whole: the next process reads the load's entry.
    trail = _journeykg(tmp_path, "audit", "--limit", "5")
    assert trail.returncode == 0, trail.stderr
    assert "cli:load" in trail.stdout


def test_a_refused_load_still_exits_with_its_error(tmp_path: Path) -> None:
    bad = Path(__file__).resolve().parents[1] / "fixtures" / "journey_without_owner.ttl"
    refused = _journeykg(tmp_path, "load", str(bad))
    assert refused.returncode == 1
    assert "does not conform to the shapes" in refused.stderr


def test_a_restore_ends_as_a_load_does_with_the_export_restored_whole(tmp_path: Path) -> None:
    assert _journeykg(tmp_path, "load", str(DEMO_DATASET)).returncode == 0
    backup = tmp_path / "backup.nt"
    assert _journeykg(tmp_path, "export", str(backup)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    restored = _journeykg(elsewhere, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("restored ")
    again = _journeykg(elsewhere, "export", str(elsewhere / "again.nt"))
    assert again.returncode == 0, again.stderr
    assert (elsewhere / "again.nt").read_bytes() == backup.read_bytes()
    trail = _journeykg(elsewhere, "audit", "--limit", "5")
    assert trail.returncode == 0, trail.stderr
    assert "cli:restore" in trail.stdout
