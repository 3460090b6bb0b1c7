"""The numpy reference pre/post-processing, on hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from sdkgen.codegen.context import ImageContext
from sdkgen.features.classification import classify, softmax, top_k
from sdkgen.features.image import normalize_image, preprocess_image, resize_image
from sdkgen.features.image_resize import area_resize

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
        normalize_image(np.zeros((2, 2, 4), np.uint8), _image("rgb", "nchw"))
    with pytest.raises(ValueError, match=r"expected RGBA8 pixels of shape \(height, width, 4\)"):
        preprocess_image(np.zeros((2, 2, 3), np.uint8), _image("rgb", "nchw"))


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


def _resized(rgba: np.ndarray, width: int, height: int, **resize: object) -> np.ndarray:
    image = ImageContext(width=width, height=height, color="rgb", layout="nhwc", channels=3,
                         scale=1.0, mean=(0.0, 0.0, 0.0), std=(1.0, 1.0, 1.0), **resize)
    return resize_image(rgba, image)


def _opaque(rgb: list[list[list[int]]]) -> np.ndarray:
    array = np.asarray(rgb, dtype=np.uint8)
    return np.concatenate([array, np.full((*array.shape[:2], 1), 255, np.uint8)], axis=-1)


def test_area_resize_averages_exact_fractional_coverage() -> None:
    # 3 pixels -> 2: output 0 covers pixel 0 fully and half of pixel 1, output 1 the rest
    row = _opaque([[[0, 0, 0], [100, 10, 1], [200, 20, 3]]])
    out = area_resize(row, 2, 1)
    # (2*0 + 1*100) / 3 = 33.33 -> 33 ; (1*100 + 2*200) / 3 = 166.67 -> 167 (round half up)
    assert out[0, :, 0].tolist() == [33, 167]
    assert out[0, :, 2].tolist() == [0, 2]  # (0+1)/3 -> 0 ; (1+6)/3 = 2.33 -> 2
    # exactly half rounds up: 2 pixels 0 and 1 -> 1 pixel of 0.5 -> 1
    assert area_resize(_opaque([[[0, 0, 0], [1, 1, 1]]]), 1, 1)[0, 0, 0] == 1


def test_area_resize_matches_a_brute_force_double_sum() -> None:
    rng = np.random.default_rng(3)
    source = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    for width, height in [(3, 2), (10, 3), (1, 1), (13, 11), (5, 7)]:
        weights_x = [[max(0, min((j + 1) * 5, (i + 1) * width) - max(j * 5, i * width))
                      for i in range(5)] for j in range(width)]
        weights_y = [[max(0, min((j + 1) * 7, (i + 1) * height) - max(j * 7, i * height))
                      for i in range(7)] for j in range(height)]
        sums = np.einsum("yi,xk,ikc->yxc", np.asarray(weights_y), np.asarray(weights_x),
                         source.astype(np.int64))
        assert (area_resize(source, width, height) == (2 * sums + 35) // 70).all()


def test_center_crop_keeps_the_middle_of_a_wide_photo() -> None:
    photo = np.zeros((2, 6, 4), np.uint8)
    photo[:, 2:4, 0] = 200  # the middle third is red
    out = _resized(photo, 2, 2, resize="center_crop")
    assert (out[..., 0] == 200).all()
    assert (_resized(photo, 2, 2)[..., 0] == 67).all()  # stretch averages the whole row instead


def test_center_crop_resize_shorter_then_crop_like_torchvision() -> None:
    photo = np.zeros((4, 8, 4), np.uint8)
    photo[:, :, 0] = np.arange(8) * 30
    # Resize(2): 4x8 -> 2x4 (each output pixel averages 2x2) ; CenterCrop(2): columns 1 and 2
    out = _resized(photo, 2, 2, resize="center_crop", resize_shorter=2)
    assert out[0, :, 0].tolist() == [75, 135]


def test_letterbox_pads_with_the_fill_colour() -> None:
    photo = np.full((1, 4, 4), 100, np.uint8)
    out = _resized(photo, 4, 4, resize="letterbox", fill=(1, 2, 3))
    # a 1x4 photo fits as one full-width row, at top = (4 - 1) // 2 = 1
    assert (out[1, :, :3] == 100).all()
    for row in (0, 2, 3):
        assert out[row, :, :3].tolist() == [[1, 2, 3]] * 4
    assert (out[[0, 2, 3], :, 3] == 255).all() and (out[1, :, 3] == 100).all()


def test_model_size_stretch_is_the_identity() -> None:
    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, size=(5, 4, 4), dtype=np.uint8)
    assert (_resized(pixels, 4, 5) == pixels).all()


def test_raw_images_above_the_contract_size_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 8192 pixels per side"):
        _resized(np.zeros((1, 8193, 4), np.uint8), 2, 2)
