"""Evaluation and calibration data for compressing the digit classifier.

Evaluation: the held-out split (360 digits, never trained on) with its labels. Calibration: the
first 256 samples of the training split (representative inputs, disjoint from evaluation).
"""

from __future__ import annotations

import numpy as np

from sdkgen.examples.digits.data import heldout_set, training_set

CALIBRATION_SAMPLES = 256


def evaluation_set() -> tuple[list[dict[str, np.ndarray]], list[int]]:
    """Held-out RGBA8 digits and their labels."""
    pixels, labels = heldout_set()
    return [{"image": image} for image in pixels], [int(label) for label in labels]


def calibration_samples() -> list[dict[str, np.ndarray]]:
    """Training-split RGBA8 digits (no labels needed)."""
    pixels, _ = training_set()
    return [{"image": image} for image in pixels[:CALIBRATION_SAMPLES]]
