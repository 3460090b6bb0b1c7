"""Bundled example models: each folder holds an ``sdkgen.yaml`` and everything it names.

- ``digits``: a small CNN trained here on scikit-learn's 8x8 digits (fast; used by most tests).
- ``mobilenet_v2``: torchvision's MobileNetV2 with its ImageNet weights, classifying real photos.
"""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent

EXAMPLES: tuple[str, ...] = ("digits", "mobilenet_v2")


def example_path(name: str) -> Path:
    """The folder holding the ``sdkgen.yaml`` of the bundled example ``name``.

    Raises ``ValueError`` listing the known examples when ``name`` is not one of them.
    """
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; choose one of: {', '.join(EXAMPLES)}")
    return _ROOT / name
