"""The lock file pins every dependency pyproject.toml declares (scripts/setup.sh keys on it)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    declared |= {_name(r) for extra in project["optional-dependencies"].values() for r in extra}
    pinned = {
        _name(line) for line in (REPO / "constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    assert declared - pinned == set()
    assert all("==" in line for line in (REPO / "constraints.txt").read_text().splitlines()
               if line and not line.startswith("#"))


def test_wheel_lists_every_package() -> None:
    """setuptools is given an explicit package list: a new subpackage must be on it."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "sdkgen").rglob("__init__.py")
    }
    assert found - listed == set()
