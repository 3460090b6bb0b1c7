"""Versions of sdkgen and of every tool that shapes an artifact (recorded in reports and metadata)."""

from __future__ import annotations

import platform
from importlib import metadata

__version__ = "0.1.0"

_DISTRIBUTIONS = ("torch", "executorch", "coremltools", "torchao", "numpy", "jinja2")


def tool_versions() -> dict[str, str]:
    versions = {"sdkgen": __version__, "python": platform.python_version()}
    for name in _DISTRIBUTIONS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN

    versions["executorch_android"] = ANDROID_TOOLCHAIN.executorch_android
    return dict(sorted(versions.items()))
