"""Reference pre- and post-processing in numpy: the source of truth for Kotlin and Swift.

Every formula here is mirrored, operation for operation, by the generated Kotlin and Swift code
(see docs/golden-format.md). Arithmetic is float32 where the platforms use ``Float`` and float64
where they use ``Double``, so the three agree to the last bit or within ``probability_atol``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sdkgen.codegen.context import ImageContext

GRAY_WEIGHTS = (0.299, 0.587, 0.114)


@dataclass(frozen=True)
class Classification:
    index: int
    label: str
    probability: float  # a float32 value


def preprocess_image(rgba: np.ndarray, image: ImageContext) -> np.ndarray:
    """RGBA8 pixels ``(height, width, 4)`` at the model size → the model input tensor (batch 1)."""
    if rgba.dtype != np.uint8 or rgba.shape != (image.height, image.width, 4):
        raise ValueError(
            f"expected RGBA8 pixels of shape ({image.height}, {image.width}, 4), "
            f"got {rgba.dtype} {rgba.shape}"
        )
    if image.color == "grayscale":
        weights = np.asarray(GRAY_WEIGHTS, dtype=np.float64)
        pixels = rgba.astype(np.float64)
        # summed left to right in float64, like the Kotlin and Swift loops
        luma = (pixels[..., 0] * weights[0] + pixels[..., 1] * weights[1]) + pixels[..., 2] * weights[2]
        channels = luma.astype(np.float32)[..., None]
    elif image.color == "rgb":
        channels = rgba[..., :3].astype(np.float32)
    else:
        channels = rgba[..., 2::-1].astype(np.float32)
    scale = np.float32(image.scale)
    mean = np.asarray(image.mean, dtype=np.float32)
    std = np.asarray(image.std, dtype=np.float32)
    values = (channels * scale - mean) / std  # float32 throughout
    if image.layout == "nchw":
        values = np.transpose(values, (2, 0, 1))
    return np.ascontiguousarray(values[None, ...], dtype=np.float32)


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over a flat vector: float64 with the maximum subtracted, returned as float32."""
    values = np.asarray(logits, dtype=np.float64).reshape(-1)
    exps = np.exp(values - values.max())
    return (exps / exps.sum()).astype(np.float32)


def top_k(probabilities: np.ndarray, labels: tuple[str, ...], k: int) -> list[Classification]:
    """The ``k`` most probable classes, probability descending, ties to the lower index."""
    flat = np.asarray(probabilities, dtype=np.float32).reshape(-1)
    if len(labels) != flat.size:
        raise ValueError(f"{len(labels)} labels for an output of {flat.size} values")
    order = sorted(range(flat.size), key=lambda i: (-float(flat[i]), i))[: max(0, k)]
    return [Classification(index=i, label=labels[i], probability=float(flat[i])) for i in order]


def classify(
    output: np.ndarray, labels: tuple[str, ...], *, apply_softmax: bool, k: int
) -> list[Classification]:
    """Decode a classification output: softmax (optional), then top-k with labels."""
    flat = np.asarray(output, dtype=np.float32).reshape(-1)
    probabilities = softmax(flat) if apply_softmax else flat
    return top_k(probabilities, labels, k)
