"""Hand-built SDK definitions, golden vectors and rendered iOS trees for the iOS tests.

Until ``sdkgen build`` exists these stand in for a real build: an :class:`SdkContext` built
directly, golden vectors written by :func:`sdkgen.golden.write_golden` from made-up output
tensors, and a placeholder directory as the ``.mlpackage`` (the Swift code never opens it on
Linux).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from sdkgen import golden
from sdkgen.codegen import naming
from sdkgen.codegen.context import (
    AndroidContext,
    ClassificationContext,
    GoldenContext,
    ImageContext,
    InputContext,
    IosContext,
    OutputContext,
    ResizeMode,
    SdkContext,
)
from sdkgen.codegen.platforms import generate_platform_tree

HOSTILE_LABELS = (
    'say "hi"',
    "back\\slash",
    "\\(x) interpolation",
    "*/ closes a comment",
    "/* opens a comment",
    "#hash",
    '"# raw delimiter',
    "line\nbreak",
    "Ünïcødé 日本 😀",
    "tab\there",
    "",
    "${dollar}",
)


def _image_input(name: str, width: int, height: int, color: str, layout: str,
                 mean: tuple[float, ...], std: tuple[float, ...], *, resize: ResizeMode = "stretch",
                 resize_shorter: int | None = None,
                 fill: tuple[int, int, int] = (0, 0, 0)) -> InputContext:
    channels = 1 if color == "grayscale" else 3
    shape = (1, channels, height, width) if layout == "nchw" else (1, height, width, channels)
    image = ImageContext(width=width, height=height, color=color, layout=layout,
                         channels=channels, scale=1 / 255, mean=mean, std=std, resize=resize,
                         resize_shorter=resize_shorter, fill=fill)
    return InputContext(name=name, identifier=naming.member_name(name),
                        feature_name=naming.snake_name(name), kind="image", shape=shape,
                        dtype="float32", image=image)


def _tensor_input(name: str, shape: tuple[int, ...], dtype: str) -> InputContext:
    return InputContext(name=name, identifier=naming.member_name(name),
                        feature_name=naming.snake_name(name), kind="tensor", shape=shape,
                        dtype=dtype, image=None)


def _classification_output(name: str, labels: tuple[str, ...], *, softmax: bool,
                           top_k: int) -> OutputContext:
    return OutputContext(name=name, identifier=naming.member_name(name),
                         feature_name=naming.snake_name(name), kind="classification",
                         shape=(1, len(labels)), dtype="float32",
                         classification=ClassificationContext(labels=labels, softmax=softmax,
                                                              top_k=top_k))


def _tensor_output(name: str, shape: tuple[int, ...]) -> OutputContext:
    return OutputContext(name=name, identifier=naming.member_name(name),
                         feature_name=naming.snake_name(name), kind="tensor", shape=shape,
                         dtype="float32", classification=None)


def make_sdk(display_name: str, task: str, inputs: tuple[InputContext, ...],
             outputs: tuple[OutputContext, ...], cases: int) -> SdkContext:
    type_name = naming.type_name(display_name)
    return SdkContext(
        display_name=display_name,
        type_name=type_name,
        version="1.2.3",
        author='A. "Quote" Author',
        license="MIT",
        description="Made-up model for the iOS template tests */ /* \\(x)",
        task=task,
        inputs=inputs,
        outputs=outputs,
        android=AndroidContext(package="io.sdkgen.tests", min_sdk=24, compile_sdk=36,
                               target_sdk=36, module_name=naming.kebab_name(display_name),
                               model_asset=f"{naming.snake_name(display_name)}.pte",
                               executorch_android_version="1.5.1"),
        ios=IosContext(minimum_version="17.0", compute_units="all", precision="float16",
                       model_resource=f"{type_name}.mlpackage",
                       bundle_identifier="io.sdkgen.tests.sample"),
        golden=GoldenContext(directory="golden",
                             case_names=tuple(f"case_{i}" for i in range(cases)),
                             probability_atol=1e-5, tensor_atol=1e-6, model_atol=1e-3),
        versions={"sdkgen": "0.1.0", "coremltools": "9.0"},
        spec_sha256="0" * 64,
    )


def digits_sdk() -> SdkContext:
    """Image classification, grayscale, NCHW, 8×8, ten labels."""
    image = _image_input("image", 8, 8, "grayscale", "nchw", (0.5,), (0.5,), resize="center_crop")
    logits = _classification_output("logits", tuple(str(i) for i in range(10)),
                                    softmax=True, top_k=3)
    return make_sdk("Digit Classifier", "image_classification", (image,), (logits,), cases=3)


def hostile_sdk() -> SdkContext:
    """Image classification, RGB, NCHW, non-square; a Swift keyword as the name; hostile labels."""
    image = _image_input("self", 5, 3, "rgb", "nchw", (0.485, 0.456, 0.406),
                         (0.229, 0.224, 0.225), resize="center_crop", resize_shorter=7)
    scores = _classification_output("protocol", HOSTILE_LABELS, softmax=True, top_k=5)
    return make_sdk("protocol", "image_classification", (image,), (scores,), cases=2)


def tensor_sdk() -> SdkContext:
    """Generic task: two tensor inputs and a BGR/NHWC image; a classification and a tensor output."""
    features = _tensor_input("features", (1, 16), "float32")
    tokens = _tensor_input("token ids", (1, 4), "int64")
    thumbnail = _image_input("thumbnail", 3, 2, "bgr", "nhwc", (0.5, 0.25, 0.125), (2.0, 0.5, 1.0),
                             resize="letterbox", fill=(10, 200, 30))
    scores = _classification_output("class scores", ("alpha", "beta", "gamma", "delta"),
                                    softmax=False, top_k=2)
    embedding = _tensor_output("embedding", (1, 8))
    # A display name that must survive Swift, pbxproj and Markdown escaping.
    return make_sdk('Feature "Mixer" \\ */ #\\(x) 日本 😀', "tensor", (features, tokens, thumbnail),
                    (scores, embedding), cases=2)


def _photo_size(image: ImageContext, case_index: int) -> tuple[int, int]:
    """Raw photo sizes that exercise the resize contract: wider, taller and smaller than the model."""
    sizes = ((image.width * 3 // 2 + 1, image.height * 5 // 4 + 1),
             (max(1, image.width // 2), image.height * 2 + 3),
             (image.width + 7, image.height + 1))
    return sizes[case_index % len(sizes)]


def _raw_input(rng: np.random.Generator, spec_input: InputContext, case_index: int) -> np.ndarray:
    if spec_input.image is not None:
        width, height = _photo_size(spec_input.image, case_index)
        return rng.integers(0, 256, size=(height, width, 4), dtype=np.uint8)
    if spec_input.dtype == "float32":
        return rng.standard_normal(spec_input.shape).astype(np.float32)
    return rng.integers(-1000, 1000, size=spec_input.shape).astype(
        np.int64 if spec_input.dtype == "int64" else np.int32)


def _output_tensor(rng: np.random.Generator, output: OutputContext, case_index: int) -> np.ndarray:
    values = (rng.standard_normal(output.shape) * 3).astype(np.float32)
    if output.classification is not None and case_index == 0:
        # exact ties at the top: decoding must put the lower index first
        flat = values.reshape(-1)
        flat[:] = np.float32(0.25)
        flat[-1] = np.float32(2.0)
    return values


def golden_cases(sdk: SdkContext, seed: int = 7) -> list[golden.GoldenCase]:
    rng = np.random.default_rng(seed)
    cases = []
    for index, name in enumerate(sdk.golden.case_names):
        raw = {i.feature_name: _raw_input(rng, i, index) for i in sdk.inputs}
        raw_case = golden.RawCase(name=name, source=f"random, seed {seed}", raw_inputs=raw)
        cases.append(golden.GoldenCase(
            name=name, source=raw_case.source, raw_inputs=raw,
            input_tensors=golden.preprocess(sdk, raw_case),
            output_tensors={o.feature_name: _output_tensor(rng, o, index) for o in sdk.outputs},
        ))
    return cases


def placeholder_mlpackage(directory: Path) -> Path:
    """A directory shaped like an .mlpackage (never loaded on Linux)."""
    package = directory / "model.mlpackage"
    data = package / "Data" / "com.apple.CoreML"
    data.mkdir(parents=True)
    (data / "model.mlmodel").write_bytes(b"placeholder: not a Core ML model\n")
    (package / "Manifest.json").write_text('{"fileFormatVersion": "1.0.0"}\n', encoding="utf-8")
    # what coremltools writes beside the manifest when ExecuTorch is installed
    (package / "executorch_debug_handle_mapping.json").write_text('{"version": "9.0", "mapping": {}}\n',
                                                                  encoding="utf-8")
    return package


def render_ios_tree(sdk: SdkContext, work: Path) -> Path:
    """Write golden vectors and a placeholder model, then render the iOS tree into ``work/ios``."""
    golden_dir = work / "golden"
    golden.write_golden(golden_dir, sdk, golden_cases(sdk))
    return render_ios_tree_from(sdk, golden_dir, work)


def render_ios_tree_from(sdk: SdkContext, golden_dir: Path, work: Path) -> Path:
    """Render the iOS tree of ``sdk`` with the golden folder given, into ``work/ios``."""
    model = placeholder_mlpackage(work / "artifacts")
    out = work / "ios"
    generate_platform_tree("ios", sdk, model_artifact=model, golden_dir=golden_dir, out_dir=out)
    return out


def build_example_ios_tree(example: str, out_dir: Path) -> tuple[SdkContext, Path]:
    """``sdkgen build --example <example> --platform ios``; returns the context and the ios/ tree.

    The context is derived again from the definition, with the output shapes and case names the
    build wrote into the golden manifest, so the tests can reason about the tree.
    """
    from sdkgen.examples import example_path
    from sdkgen.pipeline import build

    result = build(example_path(example) / "sdkgen.yaml", out_dir=out_dir, platforms=("ios",))
    return example_ios_tree(example, result.out_dir)


def example_ios_tree(example: str, build_dir: Path) -> tuple[SdkContext, Path]:
    """The context and the ios/ tree of an existing build of the bundled ``example``."""
    from sdkgen.examples import example_path
    from sdkgen.plan import make_plan, with_cases
    from sdkgen.spec import load_spec

    spec_path = example_path(example) / "sdkgen.yaml"
    manifest = json.loads((build_dir / "golden" / "manifest.json").read_text(encoding="utf-8"))
    plan = make_plan(
        load_spec(spec_path), output_shapes=[tuple(output["shape"]) for output in manifest["outputs"]],
    )
    sdk = with_cases(plan, tuple(case["name"] for case in manifest["cases"]))
    return sdk, build_dir / "ios"
