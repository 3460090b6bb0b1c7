"""Shared helpers for tests that need an external tool (kotlinc, swift, aapt2, ...)."""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest


def require_tool(name: str, reason: str) -> None:
    """Skip the test when ``name`` is not on PATH; fail instead when SDKGEN_REQUIRE_TOOLS=1."""
    if shutil.which(name) is not None:
        return
    message = f"{name} not found on PATH: {reason}"
    if os.environ.get("SDKGEN_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def tool_missing(message: str) -> NoReturn:
    """Skip for a missing tool that is not a program on PATH (a jar, a package); fail under CI."""
    if os.environ.get("SDKGEN_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)
