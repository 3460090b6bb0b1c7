"""sdkgen: one PyTorch model → verified ExecuTorch (Android) and Core ML (iOS) SDKs.

The public API is small: :func:`build` runs the whole pipeline, :func:`load_spec` validates a
definition. The command line (``sdkgen``) is a thin layer over these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdkgen.version import __version__

if TYPE_CHECKING:
    from sdkgen.pipeline import BuildResult

__all__ = ["__version__", "build", "load_spec"]


def build(spec_path: Any, **options: Any) -> BuildResult:
    """Build the SDKs of a definition; see :func:`sdkgen.pipeline.build` for the options."""
    from sdkgen.pipeline import build as run_build

    return run_build(spec_path, **options)


def load_spec(path: Any) -> Any:
    """Load and validate a definition (see :func:`sdkgen.spec.load_spec`)."""
    from sdkgen.spec import load_spec as run_load

    return run_load(path)
