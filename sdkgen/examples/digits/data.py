"""The digits data: scikit-learn's 8x8 digits, split once, turned into RGBA8 pixels.

The dataset ships inside scikit-learn (no download). Each value ``v`` in 0..16 becomes the 8-bit
gray pixel ``round(v * 255 / 16)`` (round half to even; only ``v = 8`` is a tie, giving 128) and
the RGBA pixel ``(p, p, p, 255)``: exactly what a phone would hand the generated SDK for a gray
image. The held-out split is stratified 80/20 with seed 0 and is never used for training.
"""

from __future__ import annotations

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from sdkgen.golden import RawCase

SPLIT_SEED = 0
HELDOUT_FRACTION = 0.2
SPLIT_DESCRIPTION = (
    "scikit-learn load_digits (1797 samples), stratified train_test_split "
    f"test_size={HELDOUT_FRACTION}, random_state={SPLIT_SEED}"
)
GOLDEN_CASES = 5


def to_rgba(values: np.ndarray) -> np.ndarray:
    """Digits values 0..16 of shape ``(..., 8, 8)`` → RGBA8 pixels ``(..., 8, 8, 4)``."""
    gray = np.rint(np.asarray(values, dtype=np.float64) * 255.0 / 16.0).astype(np.uint8)
    alpha = np.full_like(gray, 255)
    return np.stack([gray, gray, gray, alpha], axis=-1)


def _split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dataset images, labels, and the train / held-out index arrays (fixed, seeded)."""
    digits = load_digits()
    labels = digits.target.astype(np.int64)
    train, heldout = train_test_split(
        np.arange(labels.size),
        test_size=HELDOUT_FRACTION,
        stratify=labels,
        random_state=SPLIT_SEED,
    )
    return digits.images, labels, np.asarray(train), np.asarray(heldout)


def training_set() -> tuple[np.ndarray, np.ndarray]:
    """Training pixels ``(N, 8, 8, 4)`` uint8 and labels ``(N,)`` int64."""
    images, labels, train, _ = _split()
    return to_rgba(images[train]), labels[train]


def heldout_set() -> tuple[np.ndarray, np.ndarray]:
    """Held-out pixels ``(N, 8, 8, 4)`` uint8 and labels ``(N,)`` int64, for evaluation."""
    images, labels, _, heldout = _split()
    return to_rgba(images[heldout]), labels[heldout]


def golden_examples() -> list[RawCase]:
    """The first held-out sample of each of the first five digits met, as RGBA8 ``image`` inputs."""
    images, labels, _, heldout = _split()
    cases: list[RawCase] = []
    seen: set[int] = set()
    for position, index in enumerate(heldout):
        label = int(labels[index])
        if label in seen:
            continue
        seen.add(label)
        cases.append(
            RawCase(
                name=f"case_{len(cases)}",
                source=f"sklearn digits held-out #{position} (dataset index {index}, label {label})",
                raw_inputs={"image": to_rgba(images[index])},
            )
        )
        if len(cases) == GOLDEN_CASES:
            break
    return cases
