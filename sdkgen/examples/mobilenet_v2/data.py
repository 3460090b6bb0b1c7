"""Real photos that ship inside scikit-image, as the SDKs receive them: full size, RGBA8.

Each photo keeps its full size (three of the four are not square) and gets an opaque alpha
channel: RGBA8 ``(H, W, 4)``, keyed by the feature name ``image``. The resize to 224x224 is the
definition's resize contract (resize the shorter side to 256, crop the centre 224x224), applied by
the reference pre-processing and by the generated SDKs alike. The photos are public domain or CC0
(see NOTICE.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import skimage.data

from sdkgen.golden import RawCase


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
    rgba: np.ndarray  # (H, W, 4) uint8, the full photo
    expected: tuple[int, ...]  # acceptable top-1 ImageNet class indices


def to_rgba(rgb: np.ndarray) -> np.ndarray:
    """RGB8 ``(H, W, 3)`` → RGBA8 ``(H, W, 4)``, opaque, at the same size."""
    alpha = np.full((*rgb.shape[:2], 1), 255, dtype=np.uint8)
    return np.concatenate([np.asarray(rgb[..., :3], dtype=np.uint8), alpha], axis=-1)


def _source(photo: Photo) -> str:
    return f"scikit-image data.{photo.loader}(): {photo.description}"


def evaluation_images() -> list[EvaluationImage]:
    """Every bundled photo at its full size, with the classes accepted as a correct top-1."""
    return [
        EvaluationImage(
            name=photo.loader,
            source=_source(photo),
            rgba=to_rgba(getattr(skimage.data, photo.loader)()),
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
