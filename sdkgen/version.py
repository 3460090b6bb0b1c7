"""Versions of sdkgen and of every tool that shapes an artifact (recorded in reports and metadata)."""

from __future__ import annotations

import platform
import re
from importlib import metadata

__version__ = "0.1.0"

_DISTRIBUTIONS = ("torch", "executorch", "coremltools", "torchao", "numpy", "jinja2")
# PEP 440 local version label: the build variant of one wheel (``2.13.0+cu130``, ``2.13.0+cpu``)
_LOCAL_LABEL = re.compile(r"\+[0-9A-Za-z.]+$")


def public_version(version: str) -> str:
    """``version`` without its local label: the release a CUDA and a CPU wheel share."""
    return _LOCAL_LABEL.sub("", version)


def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def tool_versions() -> dict[str, str]:
    """Release versions, the same on every machine with the same releases installed: these reach
    the artifacts, the generated trees and the report (see :func:`build_environment`)."""
    versions = {"sdkgen": __version__, "python": platform.python_version()}
    for name in _DISTRIBUTIONS:
        versions[name] = public_version(_installed(name))
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN

    versions["executorch_android"] = ANDROID_TOOLCHAIN.executorch_android
    return dict(sorted(versions.items()))


def build_environment() -> dict[str, str]:
    """What ran, as installed (with local labels such as ``+cu130``), for report.json only."""
    import torch

    environment = {name: _installed(name) for name in _DISTRIBUTIONS}
    environment["torch.__version__"] = str(torch.__version__)
    environment["machine"] = platform.machine()
    return dict(sorted(environment.items()))
