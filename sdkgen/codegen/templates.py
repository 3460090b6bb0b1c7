"""Where the template tree lives: ``templates/`` of a checkout, or ``sdkgen/_templates`` in a wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sdkgen.errors import CodegenError


def template_root() -> Path:
    checkout = Path(__file__).resolve().parents[2] / "templates"
    if checkout.is_dir():
        return checkout
    installed = Path(str(resources.files("sdkgen") / "_templates"))
    if installed.is_dir():
        return installed
    raise CodegenError(
        f"template folder not found (looked in {checkout} and {installed})",
        hint="reinstall sdkgen: its templates ship as package data",
    )
