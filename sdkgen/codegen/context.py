"""The data every template sees: the build plan (made by :mod:`sdkgen.plan`).

Templates receive exactly one object, ``sdk`` (a :class:`SdkContext`), and nothing else. All
strings in it are the user's raw strings: templates turn them into identifiers or literals with
the filters registered in :mod:`sdkgen.codegen.environment` (``kotlin_string``, ``swift_string``,
``xml_text``, ...). The few derived names that must agree across files (type names, Core ML
feature names, file names) are computed once here by :mod:`sdkgen.codegen.naming` and are already
valid identifiers for both Kotlin and Swift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sdkgen.generation.context import GenerationContext

if TYPE_CHECKING:
    from sdkgen.codegen.android_runtimes import AndroidRuntime
    from sdkgen.codegen.workflows import CiToolchain

ColorOrder = Literal["rgb", "bgr", "grayscale"]
Layout = Literal["nchw", "nhwc"]
TensorDType = Literal["float32", "int32", "int64"]
ResizeMode = Literal["stretch", "center_crop", "letterbox"]
LABELS_IN_SOURCE_MAX = 500  # larger label sets ship as a resource file


@dataclass(frozen=True)
class ImageContext:
    """Preprocessing of an image input, as declared in the definition.

    The SDKs take a photo of any size as RGBA8 pixels (not premultiplied) and first bring it to
    exactly ``width`` x ``height`` by the resize contract of :mod:`sdkgen.features.image_resize`
    (``resize``: ``stretch``, ``center_crop`` with an optional ``resize_shorter``, ``letterbox``
    on ``fill``; area averaging in integer arithmetic). From those pixels the pure pre-processing
    computes, for each pixel and model channel ``c``::

        value[c] = (float32(pixel[c]) * scale - mean[c]) / std[c]     (all float32 arithmetic)

    where the pixel channel is R,G,B for ``rgb``; B,G,R for ``bgr``; and for ``grayscale`` the
    single channel ``float32(0.299*R + 0.587*G + 0.114*B)`` computed in float64 first. Alpha is
    ignored. Values are written in ``layout`` order (``nchw``: channel planes; ``nhwc``:
    interleaved), batch 1.
    """

    width: int
    height: int
    color: ColorOrder
    layout: Layout
    channels: int  # 1 for grayscale, else 3
    scale: float
    mean: tuple[float, ...]  # one per channel
    std: tuple[float, ...]  # one per channel
    resize: ResizeMode = "stretch"
    resize_shorter: int | None = None  # center_crop: shorter side first resized to this
    fill: tuple[int, int, int] = (0, 0, 0)  # letterbox: RGB of the padding (opaque)


@dataclass(frozen=True)
class TextContext:
    """Tokenisation of a text input (sdkgen.features.text), shared by every tensor it feeds.

    The SDKs encode a string with the bundled ``tokenizer.json`` (resource ``tokenizer_resource``)
    exactly as the ``tokenizers`` library does: special tokens (``add_special_tokens``), truncation
    to ``max_length`` keeping room for them (``truncation``), right padding to ``max_length`` with
    ``pad_id`` / ``pad_type_id`` and attention mask 0. ``role`` is the tensor this context's input
    fills: ``input_ids``, ``attention_mask`` or ``token_type_ids``.
    """

    input_name: str  # raw user name of the text input (escape before use)
    identifier: str  # lowerCamel identifier of the text input
    role: str  # "input_ids" | "attention_mask" | "token_type_ids"
    feeds: tuple[str, ...]  # every role the text input fills, in forward's order
    tokenizer_path: str  # absolute path of the tokenizer.json, for the build only (never rendered)
    tokenizer_resource: str  # its file name inside the SDKs, e.g. "query.tokenizer.json"
    max_length: int
    truncation: bool
    padding: str  # "max_length"
    add_special_tokens: bool
    pad_id: int
    pad_type_id: int
    dtype: TensorDType
    model: str  # "WordPiece", "BPE" or "Unigram"
    vocab_size: int


@dataclass(frozen=True)
class InputContext:
    name: str  # raw user name (escape before use)
    identifier: str  # lowerCamel identifier, valid in Kotlin and Swift (not a keyword of either)
    feature_name: str  # the input's name inside the .pte / .mlpackage ([A-Za-z_][A-Za-z0-9_]*)
    kind: str  # an input kind of sdkgen.features ("image", "tensor", ...)
    shape: tuple[int, ...]
    dtype: TensorDType
    # the processing context of the input's kind, in the field named after the kind
    image: ImageContext | None = None
    text: TextContext | None = None
    # the feature name of the app-level value this tensor comes from, when it is not the tensor
    # itself: one text input feeds several tensors (input_ids, attention_mask, ...)
    source_name: str | None = None

    @property
    def source(self) -> str:
        """The feature name of the app-level value (raw golden input) this tensor is made from."""
        return self.source_name or self.feature_name


@dataclass(frozen=True)
class ClassificationContext:
    """Post-processing of a classification output.

    ``probabilities = softmax(logits)`` when ``softmax`` is true (computed in float64 with the
    max subtracted, then stored as float32), else the raw output values. Top-k sorts by
    probability descending, ties broken by lower class index first; ``top_k`` is the default k.
    """

    labels: tuple[str, ...]  # raw labels, exactly as in the labels file (may hold any text)
    softmax: bool
    top_k: int

    @property
    def labels_in_source(self) -> bool:
        """Whether generated code may hold the labels as a source literal (else a resource file:
        thousands of literals overflow the JVM's 64 KB method limit)."""
        return len(self.labels) <= LABELS_IN_SOURCE_MAX


@dataclass(frozen=True)
class EmbeddingContext:
    """Post-processing of an embedding output (sdkgen.features.embedding).

    ``mean``: average of the token vectors of ``[1, tokens, width]`` weighted by the model input
    ``mask`` (the attention mask), divided by ``max(sum(mask), 1e-9)``; ``cls``: the first token's
    vector; ``none``: the output itself. With ``normalize``, divided by ``max(L2 norm, 1e-12)``.
    Sums in float64, token by token then dimension by dimension; stored as float32.
    """

    pooling: str  # "mean" | "cls" | "none"
    normalize: bool
    mask: str | None  # feature name of the attention-mask input (mean pooling only)


@dataclass(frozen=True)
class OutputContext:
    name: str
    identifier: str
    feature_name: str
    kind: str  # an output kind of sdkgen.features ("classification", "tensor", ...)
    shape: tuple[int, ...]
    dtype: TensorDType
    # the decoding context of the output's kind, in the field named after the kind
    classification: ClassificationContext | None = None
    embedding: EmbeddingContext | None = None


def _default_android_toolchain() -> AndroidToolchain:
    # imported lazily: android.py imports this module
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN

    return ANDROID_TOOLCHAIN


def _default_android_runtime() -> AndroidRuntime:
    # imported lazily: android_runtimes.py imports android.py, which imports this module
    from sdkgen.codegen.android_runtimes import EXECUTORCH

    return EXECUTORCH


def _default_ci_toolchain() -> CiToolchain:
    # imported lazily: workflows.py imports this module
    from sdkgen.codegen.workflows import CI_TOOLCHAIN

    return CI_TOOLCHAIN


@dataclass(frozen=True)
class AndroidToolchain:
    """Pinned build tool and library versions of the generated Gradle project (see android.py)."""

    agp: str  # Android Gradle plugin
    gradle: str  # Gradle wrapper version AGP needs
    kotlin: str  # Kotlin Gradle plugin and Compose compiler plugin
    compose_bom: str  # androidx.compose:compose-bom
    activity_compose: str  # androidx.activity:activity-compose
    lifecycle: str  # androidx.lifecycle:lifecycle-viewmodel-compose
    androidx_test_junit: str  # androidx.test.ext:junit
    androidx_test_runner: str  # androidx.test:runner
    junit: str  # junit:junit (JVM unit tests)
    compile_sdk: int
    target_sdk: int
    executorch_android: str  # org.pytorch:executorch-android
    min_sdk_floor: int  # minSdk of the executorch-android AAR
    abi_filters: tuple[str, ...]  # ABIs the executorch-android AAR ships
    coroutines: str  # org.jetbrains.kotlinx:kotlinx-coroutines-android (main-safe suspend API)
    camerax: str  # androidx.camera:camera-* (the camera entry point and the sample's live mode)
    exifinterface: str  # androidx.exifinterface:exifinterface (the sample's photo orientation)


@dataclass(frozen=True)
class AndroidContext:
    package: str  # validated Java package name, e.g. "com.example.digits"
    min_sdk: int
    compile_sdk: int
    target_sdk: int
    module_name: str  # Gradle module directory of the library, kebab-case, e.g. "digit-classifier"
    model_asset: str  # asset file name of the model, e.g. "digit_classifier.pte"
    executorch_android_version: str  # Maven version of org.pytorch:executorch-android
    # build tool versions; defaults to sdkgen.codegen.android.ANDROID_TOOLCHAIN
    toolchain: AndroidToolchain = field(default_factory=_default_android_toolchain)
    # the runtime the SDK ships (platforms.android.runtime); ExecuTorch unless the plan says
    runtime: AndroidRuntime = field(default_factory=_default_android_runtime)


@dataclass(frozen=True)
class IosContext:
    minimum_version: str  # e.g. "16.0"
    compute_units: Literal["all", "cpuOnly", "cpuAndGPU", "cpuAndNeuralEngine"]  # MLComputeUnits case
    precision: Literal["float16", "float32"]
    model_resource: str  # e.g. "DigitClassifier.mlpackage"
    bundle_identifier: str  # sample app bundle id, reverse-DNS


@dataclass(frozen=True)
class GoldenContext:
    directory: str  # relative path of the golden folder inside each generated tree
    case_names: tuple[str, ...]
    probability_atol: float  # allowed |difference| in decoded probabilities between languages
    tensor_atol: float  # allowed |difference| in preprocessed tensors between languages
    model_atol: float  # allowed |difference| between the on-device model and golden outputs


@dataclass(frozen=True)
class SdkContext:
    display_name: str  # raw, e.g. "Digit Classifier"
    type_name: str  # UpperCamel, valid type name in Kotlin and Swift, e.g. "DigitClassifier"
    version: str  # semantic version of the SDK (validated: digits and dots, optional -suffix)
    author: str
    license: str
    description: str
    task: str  # a task of sdkgen.tasks ("image_classification", "tensor", ...)
    inputs: tuple[InputContext, ...]
    outputs: tuple[OutputContext, ...]
    android: AndroidContext
    ios: IosContext
    golden: GoldenContext
    versions: dict[str, str]  # tool versions: sdkgen, torch, executorch, coremltools, ...
    spec_sha256: str
    # runners and pinned actions of the generated GitHub workflows; defaults to
    # sdkgen.codegen.workflows.CI_TOOLCHAIN
    ci: CiToolchain = field(default_factory=_default_ci_toolchain)
    # the text-generation task's data (sdkgen.generation.context); None for other tasks
    generation: GenerationContext | None = None

    def fragment(self, name: str) -> str:
        """The template of the task's fragment ``name`` (``{% include sdk.fragment(...) %}``)."""
        return f"tasks/{self.task}/fragments/{name}.jinja"

    def runtime_fragment(self, name: str) -> str:
        """The template of the Android runtime's fragment ``name``
        (``templates/runtimes/<runtime>/fragments/<name>.jinja``)."""
        return f"runtimes/{self.android.runtime.name}/fragments/{name}.jinja"

    @property
    def app_inputs(self) -> tuple[InputContext, ...]:
        """One input per app-level value, in order: the first tensor of each ``source`` (a text
        input feeds several tensors; every other input is its own tensor)."""
        first: dict[str, InputContext] = {}
        for item in self.inputs:
            first.setdefault(item.source, item)
        return tuple(first.values())

    @property
    def feature_names(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The names of the inputs and of the outputs inside the artifacts."""
        return tuple(i.feature_name for i in self.inputs), tuple(o.feature_name for o in self.outputs)
