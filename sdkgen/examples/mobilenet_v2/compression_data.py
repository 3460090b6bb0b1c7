"""Evaluation and calibration images for compressing MobileNetV2: the bundled photos, augmented.

Every augmented image is a random crop (45-100% of the shorter side, random position), an optional
horizontal flip, and a colour jitter (brightness, contrast, saturation each x0.7-1.3) of one of the
scikit-image photos, as RGBA8 at the crop's size; the definition's resize contract brings it to
224x224 like every other raw photo. One seeded
stream of augmentations is drawn per photo; even draws go to evaluation and odd draws to
calibration, so the two sets never share an image. The evaluation set also holds every photo
unaugmented. There are no ImageNet labels for these images: the evaluation measures agreement with
eager float PyTorch (labels are ``None``).
"""

from __future__ import annotations

import numpy as np
import skimage.data
from PIL import Image, ImageEnhance

from sdkgen.examples.mobilenet_v2.data import PHOTOS, evaluation_images, to_rgba

SEED = 0
AUGMENTED_PER_PHOTO = 16  # per set: 16 for evaluation and 16 for calibration, per photo


def _augment(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    height, width = rgb.shape[:2]
    side = int(min(height, width) * rng.uniform(0.45, 1.0))
    top = int(rng.integers(0, height - side + 1))
    left = int(rng.integers(0, width - side + 1))
    image = Image.fromarray(np.ascontiguousarray(rgb[top : top + side, left : left + side, :3]))
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    for enhancer in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        image = enhancer(image).enhance(float(rng.uniform(0.7, 1.3)))
    return to_rgba(np.asarray(image, dtype=np.uint8))


def _augmented(parity: int) -> list[np.ndarray]:
    """Augmented RGBA8 images of every photo: draws with index % 2 == ``parity``."""
    images = []
    for number, photo in enumerate(PHOTOS):
        rng = np.random.default_rng([SEED, number])
        rgb = getattr(skimage.data, photo.loader)()
        for draw in range(2 * AUGMENTED_PER_PHOTO):
            augmented = _augment(rgb, rng)
            if draw % 2 == parity:
                images.append(augmented)
    return images


def evaluation_set() -> tuple[list[dict[str, np.ndarray]], None]:
    """Every bundled photo plus its even-numbered augmentations; no labels (agreement only)."""
    images = [image.rgba for image in evaluation_images()] + _augmented(0)
    return [{"image": image} for image in images], None


def calibration_samples() -> list[dict[str, np.ndarray]]:
    """The odd-numbered augmentations: representative photos, none of them in evaluation."""
    return [{"image": image} for image in _augmented(1)]
