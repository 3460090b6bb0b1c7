"""The ``image`` input kind: a bitmap the SDKs take, pre-processed as declared once here.

The numpy reference below is the source of truth that the generated Kotlin and Swift mirror,
operation for operation (see docs/golden-format.md and :class:`~sdkgen.codegen.context.ImageContext`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from sdkgen.codegen.context import ImageContext
from sdkgen.errors import SpecError
from sdkgen.features.base import InputKind, register_input_kind
from sdkgen.features.image_resize import MAX_RAW_SIDE, check_raw_pixels, resize_to_model
from sdkgen.features.schema import FieldError, Strict

if TYPE_CHECKING:
    from sdkgen.codegen.context import InputContext

GRAY_WEIGHTS = (0.299, 0.587, 0.114)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


class ImageInput(Strict):
    """An image input. The SDKs take a bitmap; pre-processing is declared here once."""

    width: Annotated[int, Field(ge=1, le=8192, description="Model input width in pixels.")]
    height: Annotated[int, Field(ge=1, le=8192, description="Model input height in pixels.")]
    color: Literal["rgb", "bgr", "grayscale"] = Field("rgb", description="Channel order.")
    layout: Literal["nchw", "nhwc"] = Field("nchw", description="Tensor layout (batch 1).")
    scale: Annotated[float, Field(gt=0, description="Pixel values (0-255) are multiplied by this.")] = (
        1 / 255
    )
    mean: list[float] | None = Field(
        None, description="Subtracted after scaling, one per channel (default 0)."
    )
    std: list[float] | None = Field(
        None, description="Divides after the mean, one per channel (default 1)."
    )
    resize: Literal["stretch", "center_crop", "letterbox"] = Field(
        "stretch",
        description="How a photo of any size becomes width x height: stretch it; crop its centre "
        "to the model's aspect ratio (center_crop); or fit it inside and pad (letterbox). "
        "Area averaging, identical in Python, Kotlin and Swift (docs/golden-format.md).",
    )
    resize_shorter: Annotated[int, Field(ge=1, le=8192)] | None = Field(
        None,
        description="center_crop only: first resize the photo so its shorter side has this many "
        "pixels, then crop width x height from the centre (torchvision Resize(256) + "
        "CenterCrop(224)). At least max(width, height).",
    )
    fill: list[Annotated[int, Field(ge=0, le=255)]] | None = Field(
        None, description="letterbox only: red, green, blue (0-255) of the padding; default black."
    )

    @property
    def channels(self) -> int:
        return 1 if self.color == "grayscale" else 3

    @model_validator(mode="after")
    def _per_channel(self) -> ImageInput:
        for field_name in ("mean", "std"):
            values = getattr(self, field_name)
            if values is not None and len(values) != self.channels:
                raise FieldError(
                    field_name,
                    f"expected {self.channels} values (one per {self.color} channel), "
                    f"got {len(values)}",
                )
        if self.std is not None and any(v <= 0 for v in self.std):
            raise FieldError("std", "every value must be greater than 0")
        if self.resize_shorter is not None:
            if self.resize != "center_crop":
                raise FieldError("resize_shorter", "applies to resize: center_crop only")
            if self.resize_shorter < max(self.width, self.height):
                raise FieldError(
                    "resize_shorter",
                    f"must be at least max(width, height) = {max(self.width, self.height)} so the "
                    f"crop fits, got {self.resize_shorter}",
                )
        if self.fill is not None:
            if self.resize != "letterbox":
                raise FieldError("fill", "applies to resize: letterbox only")
            if len(self.fill) != 3:
                raise FieldError("fill", f"expected 3 values (red, green, blue), got {len(self.fill)}")
        return self

    def resolved_mean(self) -> tuple[float, ...]:
        return tuple(self.mean) if self.mean is not None else (0.0,) * self.channels

    def resolved_std(self) -> tuple[float, ...]:
        return tuple(self.std) if self.std is not None else (1.0,) * self.channels

    def tensor_shape(self) -> tuple[int, ...]:
        if self.layout == "nchw":
            return (1, self.channels, self.height, self.width)
        return (1, self.height, self.width, self.channels)

    @property
    def dtype(self) -> Literal["float32"]:
        return "float32"


def image_context(declared: ImageInput) -> ImageContext:
    """The pre-processing of a declared image input, with defaults resolved."""
    return ImageContext(
        width=declared.width, height=declared.height, color=declared.color,
        layout=declared.layout, channels=declared.channels, scale=declared.scale,
        mean=declared.resolved_mean(), std=declared.resolved_std(), resize=declared.resize,
        resize_shorter=declared.resize_shorter,
        fill=(declared.fill[0], declared.fill[1], declared.fill[2]) if declared.fill else (0, 0, 0),
    )


def resize_image(rgba: np.ndarray, image: ImageContext) -> np.ndarray:
    """A raw RGBA8 photo ``(H, W, 4)`` of any size → RGBA8 at the model size (the resize contract)."""
    return resize_to_model(rgba, image.width, image.height, mode=image.resize,
                           resize_shorter=image.resize_shorter, fill=image.fill)


def preprocess_image(rgba: np.ndarray, image: ImageContext) -> np.ndarray:
    """A raw RGBA8 photo ``(H, W, 4)`` of any size → the model input tensor (batch 1)."""
    return normalize_image(resize_image(rgba, image), image)


def normalize_image(rgba: np.ndarray, image: ImageContext) -> np.ndarray:
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


def load_image_file(path: Path, *, field: str) -> np.ndarray:
    """An image file as raw RGBA8 pixels at its full size (the resize contract does the rest)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            rgba = np.asarray(opened.convert("RGBA"), dtype=np.uint8)
    except (OSError, UnidentifiedImageError) as error:
        raise SpecError(f"cannot read image {path}: {error}", field=field) from None
    problem = check_raw_pixels(rgba)
    if problem is not None:
        raise SpecError(f"image {path}: {problem}", field=field)
    return rgba


def random_photo_size(image: ImageContext) -> tuple[int, int]:
    """Width and height of seeded raw images: not square and not the model size, so seeded cases
    exercise the resize contract (1.5x wider, 1.25x taller, at most MAX_RAW_SIDE)."""
    return (min(MAX_RAW_SIDE, image.width * 3 // 2 + 1), min(MAX_RAW_SIDE, image.height * 5 // 4 + 1))


class ImageKind(InputKind):
    name = "image"
    description = "image tensor after pre-processing"

    def context(self, declared: ImageInput) -> ImageContext:
        return image_context(declared)

    def reference(self, raw: np.ndarray, item: InputContext) -> np.ndarray:
        assert item.image is not None  # the plan sets it for image inputs
        return preprocess_image(raw, item.image)

    def random_raw(self, item: InputContext, rng: np.random.Generator) -> np.ndarray:
        assert item.image is not None
        width, height = random_photo_size(item.image)
        pixels = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
        pixels[..., 3] = 255
        return pixels

    def check_raw(self, value: np.ndarray, item: InputContext) -> str | None:
        return check_raw_pixels(value)

    def raw_bytes(self, raw: np.ndarray, item: InputContext) -> bytes:
        return np.ascontiguousarray(raw, np.uint8).tobytes()

    def case_entry(self, raw: np.ndarray, item: InputContext) -> dict[str, Any]:
        height, width = raw.shape[:2]
        return {"width": int(width), "height": int(height)}

    def load_file(self, path: Path, item: InputContext, *, field: str) -> np.ndarray:
        return load_image_file(path, field=field)

    def manifest_entry(self, item: InputContext) -> dict[str, Any]:
        image = item.image
        assert image is not None
        return {"image": {
            "width": image.width, "height": image.height, "color": image.color,
            "layout": image.layout, "scale": image.scale, "mean": list(image.mean),
            "std": list(image.std), "resize": image.resize, "resize_shorter": image.resize_shorter,
            "fill": list(image.fill),
        }}

    def artifact_metadata(self, declared: ImageInput) -> str:
        return declared.model_dump_json()


IMAGE = register_input_kind(ImageKind())
