"""The one settings object: safe defaults, and where each value may come from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from journeykg.settings import Settings


@pytest.fixture
def clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and no JOURNEYKG_ variables."""
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("JOURNEYKG_")]:
        monkeypatch.delenv(name)
    return tmp_path


def test_the_defaults_are_safe(clean: Path) -> None:
    settings = Settings()
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.anonymous_read is False
    assert settings.token_expiry_days == 90
    # Unset: the state lives with the store (graph/state.py), not in the working directory.
    assert settings.state_dir is None


def test_the_toml_file_then_dotenv_then_the_environment(
    clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean / "journeykg.toml").write_text(
        'port = 8080\nhost = "127.0.0.2"\nanonymous_read = true\ntoken_expiry_days = 30\n'
    )
    (clean / ".env").write_text("JOURNEYKG_PORT=8081\nJOURNEYKG_TOKEN_EXPIRY_DAYS=14\n")
    monkeypatch.setenv("JOURNEYKG_PORT", "8082")
    settings = Settings()
    assert (settings.port, settings.token_expiry_days) == (8082, 14)
    assert (settings.host, settings.anonymous_read) == ("127.0.0.2", True)
    assert Settings(port=9000).port == 9000


def test_a_named_settings_file_is_read_and_must_exist(
    clean: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = clean / "conf" / "prod.toml"
    named.parent.mkdir()
    named.write_text('state_dir = "/var/lib/journeykg"\n')
    monkeypatch.setenv("JOURNEYKG_SETTINGS_FILE", str(named))
    assert Settings().state_dir == Path("/var/lib/journeykg")
    monkeypatch.setenv("JOURNEYKG_SETTINGS_FILE", str(clean / "missing.toml"))
    with pytest.raises(FileNotFoundError, match=r"missing\.toml, which does not exist"):
        Settings()


def test_a_bad_value_names_the_setting(clean: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYKG_TOKEN_EXPIRY_DAYS", "0")
    with pytest.raises(ValidationError, match="token_expiry_days"):
        Settings()
