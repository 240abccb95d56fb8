"""docs/security.md says what the code does: roles, field permissions and settings."""

from __future__ import annotations

import re
from pathlib import Path

from journeykg.access.roles import ANONYMOUS, GRANTS, Permission, Role
from journeykg.api.permissions import ROOT_PERMISSIONS
from journeykg.settings import Settings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text(encoding="utf-8")


def table(header: str) -> list[list[str]]:
    """The rows of the Markdown table whose header row starts with ``| header |``."""
    lines = DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_roles_table_is_grants() -> None:
    header = table("Role")
    columns = [p.value for p in Permission]
    documented = {
        row[0].split(" ")[0]: {p for p, cell in zip(columns, row[1:], strict=True) if cell == "yes"}
        for row in header
    }
    expected = {role.value: {p.value for p in GRANTS[role]} for role in Role}
    expected["anonymous"] = {p.value for p in ANONYMOUS.permissions}
    assert documented == expected


def test_the_field_table_is_the_permissions_module() -> None:
    documented: dict[str, set[str]] = {}
    for permission, cell in table("Permission"):
        documented[permission] = set(re.findall(r"`([a-zA-Z]+)`", cell))
    expected: dict[str, set[str]] = {p.value: set() for p in Permission}
    for fields in ROOT_PERMISSIONS.values():
        for name, permission in fields.items():
            expected[permission.value].add(name)
    assert {p: documented.get(p, set()) for p in expected} == expected


def test_every_setting_is_documented_with_its_default() -> None:
    rows = {row[0].strip("`"): row for row in table("Variable")}
    for name, field in Settings.model_fields.items():
        variable = f"JOURNEYKG_{name.upper()}"
        assert variable in rows, f"{variable} is missing from docs/security.md"
        assert rows[variable][1] == f"`{name}`"
        default = field.default
        if default is not None:
            shown = str(default).lower() if isinstance(default, bool) else str(default)
            assert rows[variable][2] == f"`{shown}`", variable
