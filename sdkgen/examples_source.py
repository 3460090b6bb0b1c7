"""Raw example inputs: from the definition's ``examples`` (a callable or image files), or seeded."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.errors import SpecError
from sdkgen.golden import RawCase, preprocess
from sdkgen.loading import import_callable
from sdkgen.spec import LoadedSpec

_CASE_NAME = re.compile(r"[a-z][a-z0-9_]*")
GENERATED_CASES = 2


def _image_size(loaded: LoadedSpec, index: int) -> tuple[int, int]:
    image = loaded.spec.inputs[index].image
    assert image is not None
    return image.width, image.height


def _random_input(loaded: LoadedSpec, index: int, rng: np.random.Generator) -> np.ndarray:
    spec_input = loaded.spec.inputs[index]
    if spec_input.image is not None:
        width, height = _image_size(loaded, index)
        pixels = rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
        pixels[..., 3] = 255
        return pixels
    shape = spec_input.tensor_shape()
    if spec_input.dtype == "float32":
        return rng.standard_normal(shape).astype(np.float32)
    return rng.integers(0, 10, size=shape).astype(spec_input.dtype)


def _feature_names(loaded: LoadedSpec) -> list[str]:
    from sdkgen.codegen.derive import feature_names

    return list(feature_names(loaded)[0])


def _load_image(path: Path, width: int, height: int) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as opened:
            image = opened.convert("RGBA")
    except (OSError, UnidentifiedImageError) as error:
        raise SpecError(f"cannot read image {path}: {error}", field="examples.images") from None
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side))
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), dtype=np.uint8)


def _check_case(loaded: LoadedSpec, case: object, index: int) -> RawCase:
    field = "examples.callable"
    if not isinstance(case, RawCase):
        raise SpecError(f"item {index} is a {type(case).__name__}, expected sdkgen.golden.RawCase",
                        field=field)
    if not _CASE_NAME.fullmatch(case.name):
        raise SpecError(f"case name {case.name!r} must match {_CASE_NAME.pattern}", field=field)
    features = _feature_names(loaded)
    if sorted(case.raw_inputs) != sorted(features):
        raise SpecError(
            f"case {case.name!r} has inputs {sorted(case.raw_inputs)}, expected {sorted(features)}",
            field=field,
        )
    for position, feature in enumerate(features):
        spec_input = loaded.spec.inputs[position]
        value = np.asarray(case.raw_inputs[feature])
        if spec_input.image is not None:
            width, height = _image_size(loaded, position)
            expected: tuple[int, ...] = (height, width, 4)
            if value.dtype != np.uint8 or value.shape != expected:
                raise SpecError(
                    f"case {case.name!r} input {feature!r}: expected RGBA8 pixels {expected}, "
                    f"got {value.dtype} {value.shape}", field=field,
                )
        elif tuple(value.shape) != spec_input.tensor_shape():
            raise SpecError(
                f"case {case.name!r} input {feature!r}: expected shape "
                f"{list(spec_input.tensor_shape())}, got {list(value.shape)}", field=field,
            )
    return case


def raw_cases(loaded: LoadedSpec) -> list[RawCase]:
    """The examples that become golden vectors."""
    examples = loaded.spec.examples
    features = _feature_names(loaded)
    if examples is not None and examples.callable is not None:
        factory = import_callable(examples.callable, base_dir=loaded.base_dir,
                                  field="examples.callable")
        cases = [_check_case(loaded, case, i) for i, case in enumerate(factory())]
        if not cases:
            raise SpecError("returned no examples", field="examples.callable")
        if len({c.name for c in cases}) != len(cases):
            raise SpecError("case names must be unique", field="examples.callable")
        return cases
    if examples is not None and examples.images is not None:
        width, height = _image_size(loaded, 0)
        return [
            RawCase(name=f"case_{i}", source=Path(relative).name,
                    raw_inputs={features[0]: _load_image(loaded.resolve(relative), width, height)})
            for i, relative in enumerate(examples.images)
        ]
    rng = np.random.default_rng(loaded.spec.validation.seed)
    return [
        RawCase(name=f"case_{n}", source=f"random input (seed {loaded.spec.validation.seed}, #{n})",
                raw_inputs={f: _random_input(loaded, i, rng) for i, f in enumerate(features)})
        for n in range(GENERATED_CASES)
    ]


def seeded_raw_inputs(loaded: LoadedSpec, sdk: SdkContext) -> list[dict[str, np.ndarray]]:
    """``validation.seeded_inputs`` extra model inputs for parity, pre-processed like real ones."""
    rng = np.random.default_rng(loaded.spec.validation.seed + 1)
    features = [i.feature_name for i in sdk.inputs]
    extra = []
    for n in range(loaded.spec.validation.seeded_inputs):
        raw = RawCase(name=f"seeded_{n}", source="seeded",
                      raw_inputs={f: _random_input(loaded, i, rng) for i, f in enumerate(features)})
        extra.append(preprocess(sdk, raw))
    return extra
