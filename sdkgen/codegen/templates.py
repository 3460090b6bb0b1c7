"""Where the template tree lives: ``templates/`` beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

from sdkgen.errors import CodegenError


def template_root() -> Path:
    root = Path(__file__).resolve().parents[2] / "templates"
    if not root.is_dir():
        raise CodegenError(
            f"template folder not found at {root}",
            hint="install sdkgen from its repository (pip install -e .) so templates/ is present",
        )
    return root
