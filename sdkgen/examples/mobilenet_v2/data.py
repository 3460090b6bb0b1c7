"""Real photos that ship inside scikit-image, prepared as the SDKs would receive them.

Each photo is center-cropped to a square and resized to 224x224 with PIL's bilinear filter, then
given an opaque alpha channel: RGBA8 ``(224, 224, 4)``, keyed by the feature name ``image``.
The photos are public domain or CC0 (see NOTICE.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skimage.data
from PIL import Image

from sdkgen.golden import RawCase

SIZE = 224


@dataclass(frozen=True)
class Photo:
    """A scikit-image photo and the ImageNet classes a correct classifier may put first.

    ``expected`` is empty when ImageNet has no class for what the photo shows (kept as a hard,
    out-of-vocabulary case).
    """

    loader: str  # function name in skimage.data
    description: str
    expected: tuple[int, ...]  # acceptable top-1 ImageNet class indices


PHOTOS: tuple[Photo, ...] = (
    Photo("chelsea", "Chelsea the cat", (281, 282, 285)),  # tabby, tiger cat, Egyptian cat
    Photo("coffee", "a cup of coffee on a saucer", (504, 967, 968)),  # coffee mug, espresso, cup
    Photo("astronaut", "astronaut Eileen Collins in front of a flag", ()),  # no such class
    Photo("rocket", "a Falcon 9 launch", (657, 744, 812)),  # missile, projectile, space shuttle
)


@dataclass(frozen=True)
class EvaluationImage:
    name: str
    source: str
    rgba: np.ndarray  # (224, 224, 4) uint8
    expected: tuple[int, ...]  # acceptable top-1 ImageNet class indices


def to_model_size(rgb: np.ndarray, size: int = SIZE) -> np.ndarray:
    """RGB8 ``(H, W, 3)`` → center square crop → ``size`` x ``size`` bilinear → RGBA8."""
    height, width = rgb.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = Image.fromarray(np.ascontiguousarray(rgb[top : top + side, left : left + side, :3]))
    resized = np.asarray(square.resize((size, size), Image.Resampling.BILINEAR), dtype=np.uint8)
    alpha = np.full((size, size, 1), 255, dtype=np.uint8)
    return np.concatenate([resized, alpha], axis=-1)


def _source(photo: Photo) -> str:
    return f"scikit-image data.{photo.loader}(): {photo.description}"


def evaluation_images() -> list[EvaluationImage]:
    """Every bundled photo at the model size, with the classes accepted as a correct top-1."""
    return [
        EvaluationImage(
            name=photo.loader,
            source=_source(photo),
            rgba=to_model_size(getattr(skimage.data, photo.loader)()),
            expected=photo.expected,
        )
        for photo in PHOTOS
    ]


def golden_examples() -> list[RawCase]:
    """The photos as golden-vector raw inputs (``case_0`` is the cat, ``case_1`` the coffee)."""
    return [
        RawCase(name=f"case_{i}", source=image.source, raw_inputs={"image": image.rgba})
        for i, image in enumerate(evaluation_images())
    ]
