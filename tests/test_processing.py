"""The numpy reference pre/post-processing, on hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from sdkgen.codegen.context import ImageContext
from sdkgen.features.classification import classify, softmax, top_k
from sdkgen.features.image import preprocess_image

PIXELS = np.array([[[10, 20, 30, 255], [40, 50, 60, 0]]], dtype=np.uint8)  # 1 row, 2 pixels


def _image(color: str, layout: str, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0)) -> ImageContext:
    channels = 1 if color == "grayscale" else 3
    return ImageContext(width=2, height=1, color=color, layout=layout, channels=channels,
                        scale=1.0, mean=mean[:channels], std=std[:channels])


def test_rgb_nchw_puts_channel_planes_first() -> None:
    tensor = preprocess_image(PIXELS, _image("rgb", "nchw"))
    assert tensor.shape == (1, 3, 1, 2)
    assert tensor.dtype == np.float32
    assert tensor[0, :, 0, 0].tolist() == [10, 20, 30]
    assert tensor[0, 0, 0, :].tolist() == [10, 40]


def test_bgr_nhwc_interleaves_reversed_channels() -> None:
    tensor = preprocess_image(PIXELS, _image("bgr", "nhwc"))
    assert tensor.shape == (1, 1, 2, 3)
    assert tensor[0, 0, 1].tolist() == [60, 50, 40]


def test_grayscale_uses_luma_weights() -> None:
    tensor = preprocess_image(PIXELS, _image("grayscale", "nchw"))
    assert tensor.shape == (1, 1, 1, 2)
    assert tensor[0, 0, 0, 0] == np.float32(0.299 * 10 + 0.587 * 20 + 0.114 * 30)


def test_scale_mean_std_in_float32() -> None:
    image = ImageContext(width=2, height=1, color="rgb", layout="nchw", channels=3,
                         scale=1 / 255, mean=(0.485, 0.456, 0.406), std=(0.229, 0.224, 0.225))
    tensor = preprocess_image(PIXELS, image)
    expected = (np.float32(10) * np.float32(1 / 255) - np.float32(0.485)) / np.float32(0.229)
    assert tensor[0, 0, 0, 0] == expected


def test_wrong_pixel_shape_is_refused() -> None:
    with pytest.raises(ValueError, match=r"expected RGBA8 pixels of shape \(1, 2, 4\)"):
        preprocess_image(np.zeros((2, 2, 4), np.uint8), _image("rgb", "nchw"))


def test_softmax_is_stable_and_normalized() -> None:
    probabilities = softmax(np.array([1000.0, 1000.0, -1000.0], dtype=np.float32))
    assert probabilities.tolist() == [0.5, 0.5, 0.0]


def test_top_k_breaks_ties_by_lower_index() -> None:
    result = top_k(np.array([0.1, 0.4, 0.1, 0.4], np.float32), ("a", "b", "c", "d"), 3)
    assert [(c.index, c.label) for c in result] == [(1, "b"), (3, "d"), (0, "a")]


def test_classify_without_softmax_keeps_values() -> None:
    result = classify(np.array([[0.2, 0.8]], np.float32), ("no", "yes"), apply_softmax=False, k=1)
    assert result[0].label == "yes"
    assert result[0].probability == pytest.approx(0.8)


def test_label_count_must_match() -> None:
    with pytest.raises(ValueError, match="2 labels for an output of 3 values"):
        top_k(np.zeros(3, np.float32), ("a", "b"), 1)
