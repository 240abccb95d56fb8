"""``journeykg demo`` (what ``make demo`` runs) serves the lifecycle picture at ``/``, offline.

The real command in a child process on 127.0.0.1 over a fresh embedded store:
it loads the demo, then serves; ``/`` is the picture, and every script, style
and image the page names is the app's own (nothing from another host).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.served import _wait_until_up, free_port


def test_the_demo_opens_on_the_lifecycle_picture_with_everything_served_by_itself(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {**os.environ, "JOURNEYKG_BACKEND": "embedded", "JOURNEYKG_STATE_DIR": str(tmp_path)}
    env.pop("JOURNEYKG_NEO4J_URI", None)
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "journeykg", "demo", "--port", str(port), "--store-dir",
             str(tmp_path / "store")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, demo, log)
            page = httpx.get(f"{url}/", timeout=30)
            assert page.status_code == 200
            assert 'lang="nl"' in page.text
            assert "Levenscyclusplaat" in page.text
            assert len(re.findall(r"data-reason=", page.text)) > 10
            named = re.findall(r'(?:src|href)="([^"]+)"', page.text)
            assert named
            assert all(n.startswith(("/", "?", "#")) for n in named), named
            for asset in (n for n in named if n.startswith("/static/")):
                assert httpx.get(f"{url}{asset}", timeout=30).status_code == 200, asset
        finally:
            demo.send_signal(signal.SIGINT)
            try:
                demo.wait(timeout=20)
            except subprocess.TimeoutExpired:
                demo.kill()
                demo.wait(timeout=10)
