"""The resize contract of image inputs: a photo of any size → RGBA8 pixels at the model size.

Pure integer arithmetic, so the Python reference, Kotlin and Swift produce identical bytes (the
generated SDKs mirror this module loop for loop; docs/golden-format.md specifies it):

- **Filter: area averaging** (a box filter with exact fractional coverage). Along one axis, a
  source of ``n`` pixels resized to ``m`` pixels: measured in units of ``1/m`` source pixel... more
  simply, scale both by ``n * m``: source pixel ``i`` spans ``[i*m, (i+1)*m)`` and output pixel
  ``j`` spans ``[j*n, (j+1)*n)``; the weight of ``i`` in ``j`` is the (integer) length of their
  overlap, and the weights of one output pixel sum to ``n``. The two axes are separable: an output
  pixel's value is ``round(sum_y sum_x wy * wx * p / (n_x * n_y))`` with the sum exact in 64-bit
  integers and rounding half up: ``(2 * sum + total) // (2 * total)``. All four channels (RGBA,
  not premultiplied) are averaged alike.
- **Geometry** (``resize`` of the definition; all sizes integers, offsets floored):
  ``stretch`` resizes the whole photo to the model size. ``center_crop`` without
  ``resize_shorter`` crops the largest centred region of the model's aspect ratio, then resizes it;
  with ``resize_shorter = S`` it first resizes the whole photo so its shorter side is ``S`` (longer
  side ``S * long // short``, as torchvision's ``Resize(S)``), then crops the model size from the
  centre (``CenterCrop``). ``letterbox`` resizes the photo to fit inside the model size, keeping its
  aspect ratio, centred on a canvas of ``fill`` (opaque).
"""

from __future__ import annotations

import numpy as np

from sdkgen.codegen.context import ResizeMode

MAX_RAW_SIDE = 8192  # largest raw photo side the contract covers (decode larger photos smaller)


def _axis_area_sums(values: np.ndarray, axis: int, size: int) -> np.ndarray:
    """Weighted sums (int64) of ``values`` along ``axis`` resized to ``size`` (weights sum to n).

    With ``C(k)`` the sum of the first ``k`` source pixels, the coverage of ``[0, t)`` (scaled
    units) is ``F(t) = size * C(t // size) + (t % size) * p[t // size]``, and output ``j`` is
    ``F((j+1) * n) - F(j * n)``; only the ``size + 1`` prefix sums that ``F`` needs are formed.
    """
    moved = np.moveaxis(values, axis, 0)
    n = moved.shape[0]
    t = np.arange(size + 1, dtype=np.int64) * n
    whole, part = t // size, t % size
    segments = np.add.reduceat(moved, whole[:-1], axis=0, dtype=np.int64)
    segments[whole[:-1] == whole[1:]] = 0  # reduceat yields one pixel for an empty segment
    prefix = np.concatenate([np.zeros((1, *moved.shape[1:]), np.int64), np.cumsum(segments, axis=0)])
    edge = np.zeros((size + 1, *moved.shape[1:]), dtype=np.int64)
    inside = whole < n
    edge[inside] = moved[whole[inside]]
    covered = size * prefix + part.reshape((size + 1,) + (1,) * (moved.ndim - 1)) * edge
    return np.moveaxis(covered[1:] - covered[:-1], 0, axis)


def area_resize(rgba: np.ndarray, width: int, height: int) -> np.ndarray:
    """RGBA8 ``(H, W, 4)`` → RGBA8 ``(height, width, 4)`` by exact area averaging (see module)."""
    source_height, source_width = rgba.shape[:2]
    if (source_width, source_height) == (width, height):
        return np.array(rgba, dtype=np.uint8, copy=True)
    columns = _axis_area_sums(rgba, axis=0, size=height)
    sums = _axis_area_sums(columns, axis=1, size=width)  # exact: the order of passes is free
    total = source_width * source_height
    return ((2 * sums + total) // (2 * total)).astype(np.uint8)


def _round_ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (non-negative integers)."""
    return (2 * numerator + denominator) // (2 * denominator)


def aspect_crop(source_width: int, source_height: int, width: int, height: int) -> tuple[int, int]:
    """Size of the largest centred crop of the source with the aspect ratio ``width:height``."""
    if source_width * height > source_height * width:  # wider than the model: crop the sides
        return min(source_width, max(1, _round_ratio(source_height * width, height))), source_height
    return source_width, min(source_height, max(1, _round_ratio(source_width * height, width)))


def aspect_fit(source_width: int, source_height: int, width: int, height: int) -> tuple[int, int]:
    """Size of the source scaled to fit inside ``width`` x ``height`` keeping its aspect ratio."""
    if source_width * height >= source_height * width:  # as wide or wider: full width
        return width, min(height, max(1, _round_ratio(source_height * width, source_width)))
    return min(width, max(1, _round_ratio(source_width * height, source_height))), height


def shorter_side_size(source_width: int, source_height: int, shorter: int) -> tuple[int, int]:
    """Size of the source resized so its shorter side is ``shorter`` (torchvision ``Resize(int)``)."""
    if source_width <= source_height:
        return shorter, shorter * source_height // source_width
    return shorter * source_width // source_height, shorter


def check_raw_pixels(rgba: np.ndarray) -> str | None:
    """What is wrong with raw pixels for the resize contract (``None`` when they fit)."""
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] != 4:
        return f"expected RGBA8 pixels of shape (height, width, 4), got {rgba.dtype} {rgba.shape}"
    height, width = rgba.shape[:2]
    if not (1 <= width <= MAX_RAW_SIDE and 1 <= height <= MAX_RAW_SIDE):
        return (f"a raw image must be 1 to {MAX_RAW_SIDE} pixels per side, got {width}x{height}; "
                "decode large photos at a smaller size")
    return None


def resize_to_model(
    rgba: np.ndarray, width: int, height: int, *, mode: ResizeMode,
    resize_shorter: int | None = None, fill: tuple[int, int, int] = (0, 0, 0),
) -> np.ndarray:
    """A raw RGBA8 photo of any size → RGBA8 ``(height, width, 4)`` as the contract declares."""
    problem = check_raw_pixels(rgba)
    if problem is not None:
        raise ValueError(problem)
    source_height, source_width = rgba.shape[:2]
    if mode == "stretch":
        return area_resize(rgba, width, height)
    if mode == "center_crop":
        if resize_shorter is not None:
            scaled_width, scaled_height = shorter_side_size(source_width, source_height, resize_shorter)
            scaled = area_resize(rgba, scaled_width, scaled_height)
            left, top = (scaled_width - width) // 2, (scaled_height - height) // 2
            return np.ascontiguousarray(scaled[top : top + height, left : left + width])
        crop_width, crop_height = aspect_crop(source_width, source_height, width, height)
        left, top = (source_width - crop_width) // 2, (source_height - crop_height) // 2
        return area_resize(rgba[top : top + crop_height, left : left + crop_width], width, height)
    fit_width, fit_height = aspect_fit(source_width, source_height, width, height)
    canvas = np.empty((height, width, 4), dtype=np.uint8)
    canvas[...] = (*fill, 255)
    left, top = (width - fit_width) // 2, (height - fit_height) // 2
    canvas[top : top + fit_height, left : left + fit_width] = area_resize(rgba, fit_width, fit_height)
    return canvas
