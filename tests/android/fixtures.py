"""Hand-built definitions of the Android checks: seven SDK contexts, their golden vectors and trees.

They cover both tasks and every pre-processing branch: a grayscale NCHW digit classifier
(stretch), an RGB NCHW classifier (resize the shorter side, then centre crop), a BGR NHWC image
input inside a generic tensor model with float32 and int64 inputs (letterbox on a fill colour), and
a model whose name, labels and metadata are hostile to code generation (centre crop); and the
digit classifier and the tensor model again on the LiteRT runtime. Raw photos are not at the model
size and not square: the golden vectors hold the resize contract too.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sdkgen.codegen import naming
from sdkgen.codegen.android import ANDROID_TOOLCHAIN
from sdkgen.codegen.android_runtimes import EXECUTORCH, LITERT, AndroidRuntime
from sdkgen.codegen.context import (
    AndroidContext,
    ClassificationContext,
    GoldenContext,
    ImageContext,
    InputContext,
    IosContext,
    OutputContext,
    SdkContext,
)
from sdkgen.golden import GoldenCase, RawCase, preprocess, write_golden

HOSTILE_LABELS = (
    '"quoted"',
    "back\\slash",
    "$dollar",
    "${x}",
    "*/ closes a comment",
    "/* opens a comment",
    "line\nbreak\r\nand\ttab",
    "Ünïcødé 日本 😀",
    "@string/app_name",
    "<b>&amp;</b> 'single'",
    "",
    "nul\u0000char",
)


@dataclass(frozen=True)
class Fixture:
    sdk: SdkContext
    cases: tuple[RawCase, ...]
    output_seed: int


def _image_input(name: str, width: int, height: int, color: str, layout: str,
                 mean: tuple[float, ...], std: tuple[float, ...], scale: float,
                 **resize: object) -> InputContext:
    channels = 1 if color == "grayscale" else 3
    shape = (1, channels, height, width) if layout == "nchw" else (1, height, width, channels)
    return InputContext(
        name=name, identifier=naming.member_name(name, fallback="input"),
        feature_name=naming.snake_name(name, fallback="input"), kind="image", shape=shape,
        dtype="float32",
        image=ImageContext(width=width, height=height, color=color, layout=layout,  # type: ignore[arg-type]
                           channels=channels, scale=scale, mean=mean, std=std, **resize),  # type: ignore[arg-type]
    )


def _tensor_input(name: str, shape: tuple[int, ...], dtype: str) -> InputContext:
    return InputContext(
        name=name, identifier=naming.member_name(name, fallback="input"),
        feature_name=naming.snake_name(name, fallback="input"), kind="tensor", shape=shape,
        dtype=dtype, image=None,  # type: ignore[arg-type]
    )


def _classification(name: str, labels: tuple[str, ...], *, softmax: bool, top_k: int) -> OutputContext:
    return OutputContext(
        name=name, identifier=naming.member_name(name, fallback="output"),
        feature_name=naming.snake_name(name, fallback="output"), kind="classification",
        shape=(1, len(labels)), dtype="float32",
        classification=ClassificationContext(labels=labels, softmax=softmax, top_k=top_k),
    )


def _tensor_output(name: str, shape: tuple[int, ...]) -> OutputContext:
    return OutputContext(
        name=name, identifier=naming.member_name(name, fallback="output"),
        feature_name=naming.snake_name(name, fallback="output"), kind="tensor", shape=shape,
        dtype="float32", classification=None,
    )


def _context(display_name: str, package: str, inputs: tuple[InputContext, ...],
             outputs: tuple[OutputContext, ...], *, description: str = "A test model.",
             author: str = "sdkgen tests", license_name: str = "MIT", cases: int = 2,
             runtime: AndroidRuntime = EXECUTORCH) -> SdkContext:
    type_name = naming.type_name(display_name)
    is_classifier = [i.kind for i in inputs] == ["image"] and [o.kind for o in outputs] == [
        "classification"
    ]
    return SdkContext(
        display_name=display_name, type_name=type_name, version="1.2.3", author=author,
        license=license_name, description=description,
        task="image_classification" if is_classifier else "tensor",
        inputs=inputs, outputs=outputs,
        android=AndroidContext(
            package=package, min_sdk=24, compile_sdk=ANDROID_TOOLCHAIN.compile_sdk,
            target_sdk=ANDROID_TOOLCHAIN.target_sdk, module_name=naming.kebab_name(display_name),
            model_asset=f"{naming.snake_name(display_name)}.{runtime.asset_extension}",
            executorch_android_version=ANDROID_TOOLCHAIN.executorch_android, runtime=runtime,
        ),
        ios=IosContext(minimum_version="17.0", compute_units="all", precision="float16",
                       model_resource=f"{type_name}.mlpackage",
                       bundle_identifier=f"{package}.sample"),
        golden=GoldenContext(directory="golden", case_names=tuple(f"case_{i}" for i in range(cases)),
                             probability_atol=1e-5, tensor_atol=1e-6, model_atol=1e-3),
        versions={"executorch": "1.5.1", "sdkgen": "0.1.0", "torch": "2.13.0"},
        spec_sha256="0" * 64,
    )


def _raw_cases(sdk: SdkContext, seed: int) -> tuple[RawCase, ...]:
    rng = np.random.default_rng(seed)
    cases = []
    for name in sdk.golden.case_names:
        raw: dict[str, np.ndarray] = {}
        for spec_input in sdk.inputs:
            if spec_input.image is not None:
                image = spec_input.image
                # case 0 wider and case 1 taller than the model, neither at the model size
                wide = len(cases) % 2 == 0
                size = ((image.height + 3, image.width * 3 + 2) if wide
                        else (image.height * 3 + 1, image.width + 2))
                pixels = rng.integers(0, 256, size=(*size, 4), dtype=np.uint8)
                pixels[..., 3] = rng.integers(128, 256, size=size, dtype=np.uint8)
                raw[spec_input.feature_name] = pixels
            elif spec_input.dtype == "float32":
                raw[spec_input.feature_name] = rng.standard_normal(spec_input.shape).astype(np.float32)
            else:
                raw[spec_input.feature_name] = rng.integers(-50, 50, size=spec_input.shape).astype(
                    np.int64 if spec_input.dtype == "int64" else np.int32)
        cases.append(RawCase(name=name, source=f"random, seed {seed}", raw_inputs=raw))
    return tuple(cases)


def fixtures() -> dict[str, Fixture]:
    digits = _context(
        "Digit Classifier", "io.sdkgen.tests.digits",
        (_image_input("image", 8, 8, "grayscale", "nchw", (0.5,), (0.5,), 1 / 255),),
        (_classification("logits", tuple(str(d) for d in range(10)), softmax=True, top_k=3),),
        description="Recognises handwritten digits.",
    )
    pets = _context(
        "Pet's \"Classifier\" @home & <co> Ünï 😀", "io.sdkgen.tests.pets",
        (_image_input("photo", 5, 3, "rgb", "nchw", (0.485, 0.456, 0.406), (0.229, 0.224, 0.225),
                      0.00392156862745098, resize="center_crop", resize_shorter=6),),
        (_classification("class scores", ("cat", "dog", "bird", "fish"), softmax=True, top_k=2),),
    )
    scorer = _context(
        "Feature Scorer", "io.sdkgen.tests.scorer",
        (_tensor_input("forward", (1, 6), "float32"), _tensor_input("module", (1, 4), "int64"),
         _image_input("thumbnail", 3, 2, "bgr", "nhwc", (0.0, 0.1, 0.2), (1.0, 2.0, 0.5), 0.01,
                      resize="letterbox", fill=(7, 128, 255))),
        (_classification("scores", ("low", "mid", "high", "top", "max"), softmax=False, top_k=2),
         _tensor_output("embedding", (1, 8))),
    )
    hostile = _context(
        "object", "io.sdkgen.tests.fun.is",
        (_image_input("this", 4, 4, "rgb", "nhwc", (0.5, 0.5, 0.5), (0.25, 0.25, 0.25), 1 / 255,
                      resize="center_crop"),),
        (_classification("fun", HOSTILE_LABELS, softmax=True, top_k=5),),
        description='*/ "desc" ${x} \\ /* Ünïcødé 日本 😀\nsecond line',
        author='O\'Brien "the" $author', license_name="<MIT> & ${license}",
    )
    # 20,000 labels: far beyond what a source literal can hold in one JVM method (64 KB)
    many_labels = _context(
        "Many Labels", "io.sdkgen.tests.many",
        (_image_input("image", 4, 4, "rgb", "nchw", (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), 1 / 255),),
        (_classification("logits", MANY_LABELS, softmax=True, top_k=5),),
    )
    # the same two models on LiteRT: the image classifier API and the raw tensor API with an
    # int64 input (an int32 tensor in the .tflite) and two outputs
    digits_litert = dataclasses.replace(digits, android=dataclasses.replace(
        _context("Digit Classifier", "io.sdkgen.tests.litert.digits", digits.inputs, digits.outputs,
                 runtime=LITERT).android))
    scorer_litert = dataclasses.replace(scorer, android=dataclasses.replace(
        _context("Feature Scorer", "io.sdkgen.tests.litert.scorer", scorer.inputs, scorer.outputs,
                 runtime=LITERT).android))
    return {
        name: Fixture(sdk=sdk, cases=_raw_cases(sdk, seed), output_seed=seed + 100)
        for seed, (name, sdk) in enumerate(
            [("digits", digits), ("pets", pets), ("scorer", scorer), ("hostile", hostile),
             ("many_labels", many_labels), ("digits_litert", digits_litert),
             ("scorer_litert", scorer_litert)]
        )
    }


MANY_LABELS = (*(f"class {i}" for i in range(19_996)),
               "Ünïcødé 日本 😀", "line\nbreak", '"quoted" $x ${y}', "")


def _outputs(sdk: SdkContext, rng: np.random.Generator, index: int) -> dict[str, np.ndarray]:
    outputs = {}
    for output in sdk.outputs:
        values = rng.standard_normal(output.shape).astype(np.float32) * 3
        if index == 0 and output.classification is not None:
            values.reshape(-1)[:3] = values.reshape(-1).max() + 1  # a three-way tie at the top
        outputs[output.feature_name] = values
    return outputs


def write_fixture_golden(fixture: Fixture, directory: Path) -> Path:
    """Golden vectors for ``fixture``: reference pre-processing and made-up output tensors."""
    rng = np.random.default_rng(fixture.output_seed)
    cases = [
        GoldenCase(name=case.name, source=case.source, raw_inputs=case.raw_inputs,
                   input_tensors=preprocess(fixture.sdk, case),
                   output_tensors=_outputs(fixture.sdk, rng, index))
        for index, case in enumerate(fixture.cases)
    ]
    return write_golden(directory, fixture.sdk, cases)


HOSTILE_SPEC_LABELS = (
    '"quoted"', "back\\slash", "$dollar", "${x}", "*/ closes", "/* opens", "Ünïcødé 日本 😀",
    "<b>&amp;</b> 'single' @string/x",
)

_HOSTILE_MODEL = """import torch


def build() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
        torch.nn.Flatten(), torch.nn.Linear(4, 8),
    ).eval()
"""


def write_hostile_spec(directory: Path) -> Path:
    """A real definition whose name is a Kotlin keyword and whose labels and metadata are hostile."""
    import yaml

    directory.mkdir(parents=True)
    (directory / "hostile_model.py").write_text(_HOSTILE_MODEL, encoding="utf-8")
    (directory / "labels.txt").write_text("\n".join(HOSTILE_SPEC_LABELS) + "\n", encoding="utf-8")
    document = {
        "schema_version": 1, "name": "object", "version": "1.0.0",
        "metadata": {"author": "O'Brien \"$x\"", "license": "<MIT> & ${y}",
                     "description": "*/ \"desc\" ${x} \\ /* Ünï 😀"},
        "model": {"callable": "hostile_model:build"},
        "inputs": [{"name": "this", "image": {
            "width": 8, "height": 8, "color": "rgb", "layout": "nchw",
            "scale": 0.00392156862745098, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}],
        "outputs": [{"name": "fun", "classification": {"labels": "labels.txt", "softmax": True,
                                                        "top_k": 3}}],
        "platforms": {"android": {"package": "com.example.hostile", "min_sdk": 24}},
    }
    path = directory / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path
