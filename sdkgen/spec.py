"""The model definition (``sdkgen.yaml``): schema, loading and validation with field paths.

``load_spec(path)`` returns a :class:`LoadedSpec`: the validated :class:`ModelSpec` plus everything
read from files it names (labels), with relative paths resolved against the definition's folder.
Every problem is a :class:`~sdkgen.errors.SpecError` whose message starts with the field path,
e.g. ``inputs[0].image.mean: expected 3 values (one per channel), got 2``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sdkgen.errors import SpecError
from sdkgen.features.classification import ClassificationOutput
from sdkgen.features.embedding import EmbeddingOutput
from sdkgen.features.image import ImageInput
from sdkgen.features.schema import FieldError, Strict
from sdkgen.features.tensor import TensorInput, TensorOutput
from sdkgen.features.text import TextInput

SCHEMA_VERSION = 1
_CALLABLE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")
_JAVA_KEYWORDS = frozenset(
    """abstract assert boolean break byte case catch char class const continue default do double
    else enum extends final finally float for goto if implements import instanceof int interface
    long native new package private protected public return short static strictfp super switch
    synchronized this throw throws transient try void volatile while true false null var record
    yield sealed permits""".split()
)
_SEMVER = re.compile(r"^\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$")


class Metadata(Strict):
    """Shown in generated READMEs, doc comments and embedded in the artifacts."""

    author: str = Field("", description="Who made the model.")
    license: str = Field("", description="Licence of the model and its weights, e.g. MIT.")
    description: str = Field("", description="One or two sentences on what the model does.")


class ModelSource(Strict):
    """Where the model comes from: a Python callable returning an nn.Module, or a .pt2 program."""

    callable: str | None = Field(
        None, description="`package.module:function` returning a torch.nn.Module."
    )
    program: str | None = Field(
        None, description="Path of a torch.export ExportedProgram (.pt2), relative to this file."
    )
    weights: str | None = Field(
        None,
        description="Optional state_dict file loaded with torch.load(weights_only=True), "
        "relative to this file.",
    )

    @field_validator("callable")
    @classmethod
    def _callable_form(cls, value: str | None) -> str | None:
        if value is not None and not _CALLABLE.match(value):
            raise ValueError(f"expected 'package.module:function', got {value!r}")
        return value

    @model_validator(mode="after")
    def _exactly_one_source(self) -> ModelSource:
        if (self.callable is None) == (self.program is None):
            raise ValueError("give exactly one of 'callable' or 'program'")
        if self.program is not None and self.weights is not None:
            raise ValueError("'weights' applies to 'callable' only: a .pt2 program holds its weights")
        return self


def _kinds_given(block: BaseModel, kinds: tuple[str, ...]) -> list[str]:
    return [kind for kind in kinds if getattr(block, kind) is not None]


def _one_of(kinds: tuple[str, ...]) -> str:
    quoted = [f"'{kind}'" for kind in kinds]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


class InputSpec(Strict):
    name: Annotated[str, Field(min_length=1, description="Name of the input.")]
    # one field per input kind (sdkgen.features); exactly one is given
    image: ImageInput | None = None
    tensor: TensorInput | None = None
    text: TextInput | None = None

    KINDS: ClassVar[tuple[str, ...]] = ("image", "tensor", "text")

    @model_validator(mode="after")
    def _one_kind(self) -> InputSpec:
        if len(_kinds_given(self, self.KINDS)) != 1:
            raise ValueError(f"give exactly one of {_one_of(self.KINDS)}")
        return self

    @property
    def kind(self) -> str:
        return _kinds_given(self, self.KINDS)[0]

    def tensor_shape(self) -> tuple[int, ...]:
        return getattr(self, self.kind).tensor_shape()

    @property
    def dtype(self) -> Literal["float32", "int32", "int64"]:
        return getattr(self, self.kind).dtype


class OutputSpec(Strict):
    name: Annotated[str, Field(min_length=1)]
    # one field per output kind (sdkgen.features); exactly one is given
    classification: ClassificationOutput | None = None
    tensor: TensorOutput | None = None
    embedding: EmbeddingOutput | None = None

    KINDS: ClassVar[tuple[str, ...]] = ("classification", "tensor", "embedding")

    @model_validator(mode="after")
    def _one_kind(self) -> OutputSpec:
        if len(_kinds_given(self, self.KINDS)) != 1:
            raise ValueError(f"give exactly one of {_one_of(self.KINDS)}")
        return self

    @property
    def kind(self) -> str:
        return _kinds_given(self, self.KINDS)[0]


class AndroidSettings(Strict):
    package: str = Field(description="Java/Kotlin package and Android namespace, e.g. com.example.app.")
    min_sdk: Annotated[int, Field(ge=21, le=36)] = Field(
        24, description="minSdk of the library and sample app."
    )
    runtime: Literal["executorch", "litert"] = Field(
        "executorch", description="Runtime the Android SDK ships: executorch (.pte, XNNPACK) or "
        "litert (.tflite)."
    )
    compare_runtimes: list[Literal["executorch", "litert"]] = Field(
        default_factory=list,
        description="Other runtimes whose artifact is exported and verified beside the SDK's own "
        "(artifacts/compare/), for the report and sdkgen bench; not shipped in the SDK.",
    )

    @model_validator(mode="after")
    def _runtimes(self) -> AndroidSettings:
        if self.runtime in self.compare_runtimes:
            raise FieldError("compare_runtimes", f"{self.runtime!r} is already the SDK's runtime")
        if len(set(self.compare_runtimes)) != len(self.compare_runtimes):
            raise FieldError("compare_runtimes", "runtimes must not repeat")
        return self

    @field_validator("package")
    @classmethod
    def _package(cls, value: str) -> str:
        segments = value.split(".")
        if len(segments) < 2 or not all(re.fullmatch(r"[a-z][a-z0-9_]*", s) for s in segments):
            raise ValueError(
                f"{value!r} is not a valid Android package: use two or more lowercase segments "
                "of letters, digits and '_', each starting with a letter (e.g. com.example.models)"
            )
        keywords = [s for s in segments if s in _JAVA_KEYWORDS]
        if keywords:
            raise ValueError(f"package segment {keywords[0]!r} is a Java keyword")
        return value


class IosSettings(Strict):
    minimum_version: str = Field("17.0", description="Minimum iOS version, e.g. 17.0.")
    compute_units: Literal["all", "cpu_only", "cpu_and_gpu", "cpu_and_ne"] = Field(
        "all", description="Core ML compute units (cpu_and_ne: CPU and Neural Engine)."
    )
    precision: Literal["float16", "float32"] = Field(
        "float16", description="Core ML compute precision of the ML Program."
    )

    @field_validator("minimum_version")
    @classmethod
    def _version(cls, value: str) -> str:
        if not re.fullmatch(r"\d+\.\d+", value):
            raise ValueError(f"expected MAJOR.MINOR such as '17.0', got {value!r}")
        if int(value.split(".", maxsplit=1)[0]) < 16:
            raise ValueError("ML Program .mlpackage models with the APIs used need iOS 16.0 or later")
        return value


class Platforms(Strict):
    android: AndroidSettings
    ios: IosSettings = IosSettings()


class Tolerance(Strict):
    """Limits an exported artifact must stay within, compared with eager PyTorch."""

    max_abs_error: Annotated[float, Field(ge=0)] = 1e-3
    max_relative_l2_error: Annotated[float, Field(ge=0)] = 1e-3
    min_cosine_similarity: Annotated[float, Field(ge=-1, le=1)] = 0.9999
    min_top1_agreement: Annotated[float, Field(ge=0, le=1)] = 1.0


class GoldenTolerance(Strict):
    tensor_atol: Annotated[float, Field(ge=0)] = 1e-6
    probability_atol: Annotated[float, Field(ge=0)] = 1e-5
    model_atol: Annotated[float, Field(ge=0)] = 5e-2


class Validation(Strict):
    seed: int = Field(0, description="Seed of the extra random inputs.")
    seeded_inputs: Annotated[int, Field(ge=0, le=64)] = Field(
        4, description="Random inputs compared in addition to the examples."
    )
    default: Tolerance = Tolerance()
    outputs: dict[str, Tolerance] = Field(
        default_factory=dict, description="Per-output tolerances, by output name."
    )
    golden: GoldenTolerance = GoldenTolerance()

    def tolerance_for(self, output_name: str) -> Tolerance:
        return self.outputs.get(output_name, self.default)


class Examples(Strict):
    """Raw inputs for golden vectors and parity checks."""

    callable: str | None = Field(
        None, description="`package.module:function` returning a list of sdkgen.golden.RawCase."
    )
    images: list[str] | None = Field(
        None, description="Image files (relative to this file) for a single image input."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Examples:
        if (self.callable is None) == (self.images is None):
            raise ValueError("give exactly one of 'callable' or 'images'")
        if self.callable is not None and not _CALLABLE.match(self.callable):
            raise FieldError("callable", f"expected 'package.module:function', got {self.callable!r}")
        return self


class AndroidCompression(Strict):
    """ExecuTorch variants built beside the float ``.pte`` (see docs/compression.md)."""

    quantize: list[Literal["int8", "int8_corrected", "int8_mixed", "int8_mixed_dynamic",
                           "int8_gptq", "int8_weight_only", "int8_weight_only_gptq"]] = Field(
        default_factory=list,
        description="int8: static int8 (per-channel weights, calibrated activations); "
        "int8_corrected: int8 with conv/linear biases corrected for the quantization shift "
        "measured on the calibration data; int8_mixed: int8 with the activations most sensitive "
        "on the calibration data kept float (the fewest that meet accuracy_budget); "
        "int8_mixed_dynamic: the same plan, the convs/linears around those activations with "
        "dynamic int8 activations instead of float; int8_gptq: int8 with weights rounded by GPTQ "
        "on the calibration data (same grid and program, less output error); int8_weight_only: "
        "int8 weights, activations quantized on the fly; int8_weight_only_gptq: the same with "
        "GPTQ-rounded weights. A list builds several; none builds none.",
    )
    litert_quantize: list[Literal["int8", "int8_weight_only"]] = Field(
        default_factory=list,
        description="LiteRT's own int8 (litert-torch PT2E quantizer) .tflite variants, for "
        "comparison; needs litert in platforms.android.compare_runtimes.",
    )
    per_channel: bool = Field(True, description="Per-output-channel weight scales (else per tensor).")
    keep_float: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list,
        description="Left in float32 by int8: module names from named_modules() (a name covers "
        "its submodules, e.g. classifier or features.0), or 'depthwise' for every depthwise conv.",
    )
    dynamic_min_macs: Annotated[int, Field(ge=0)] = Field(
        0,
        description="int8_weight_only modes: linears and 1x1 convs with fewer multiply-adds per "
        "output row (input x output channels) stay float32, since quantizing each row on the fly "
        "costs them more than int8 saves (MobileNetV2 on x86: below about 4096). 0: quantize all.",
    )

    @field_validator("quantize", "litert_quantize", mode="before")
    @classmethod
    def _modes(cls, value: Any) -> Any:
        return _mode_list(value)


class IosCompression(Strict):
    """Core ML variants built beside the float ``.mlpackage`` (coremltools.optimize.coreml)."""

    compress: list[Literal["int8", "palettize4", "prune"]] = Field(
        default_factory=list,
        description="int8: linear weight quantization; palettize4: 4-bit palettization per grouped "
        "channel; prune: magnitude sparsity. A list builds several; none builds none.",
    )
    prune_sparsity: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.5, description="Fraction of each weight tensor set to zero by prune."
    )
    palettize_granularity: Literal["per_grouped_channel", "per_tensor"] = Field(
        "per_grouped_channel",
        description="per_grouped_channel (one palette per group of output channels) needs "
        "platforms.ios.minimum_version 18.0 or later; per_tensor works from iOS 16.",
    )
    palettize_group_size: Annotated[int, Field(ge=1)] = Field(
        16, description="Output channels that share one 16-entry palette (per_grouped_channel)."
    )

    @field_validator("compress", mode="before")
    @classmethod
    def _modes(cls, value: Any) -> Any:
        return _mode_list(value)


def _mode_list(value: Any) -> Any:
    """Accept one mode or a list of modes; ``none`` means no variant."""
    if value is None or value == "none":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and len(set(map(str, value))) != len(value):
        raise ValueError("modes must not repeat")
    return value


class SampleSource(Strict):
    """Raw samples (RGBA8 pixels for image inputs, tensors otherwise): exactly one source."""

    images: str | None = Field(
        None, description="Folder of image files (png, jpg, jpeg, bmp), relative to this file; "
        "needs exactly one image input."
    )
    npz: str | None = Field(
        None, description=".npz file: one array per input feature name, samples on the first axis."
    )
    callable: str | None = Field(
        None, description="`package.module:function` returning raw samples (one mapping of "
        "feature name to raw input per sample); for evaluation, a (samples, labels) pair."
    )
    limit: Annotated[int, Field(ge=1)] | None = Field(
        None, description="Use at most this many samples (the first ones)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> SampleSource:
        given = [name for name in ("images", "npz", "callable") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'images', 'npz' or 'callable'")
        if self.callable is not None and not _CALLABLE.match(self.callable):
            raise FieldError("callable", f"expected 'package.module:function', got {self.callable!r}")
        return self


class AccuracyBudget(Strict):
    """Largest accepted loss of a compressed variant against the float model (fractions, 0-1)."""

    max_top1_agreement_drop: Annotated[float, Field(ge=0, le=1)] = Field(
        0.05, description="1 - (share of evaluation samples whose top-1 equals eager float's)."
    )
    max_accuracy_drop: Annotated[float, Field(ge=0, le=1)] = Field(
        0.02, description="Eager float accuracy minus the variant's, when evaluation has labels."
    )


class Compression(Strict):
    """Compressed variants, measured on real data; built by ``sdkgen build --compress``."""

    android: AndroidCompression = AndroidCompression()
    ios: IosCompression = IosCompression()
    calibration: SampleSource | None = Field(
        None, description="Representative inputs for int8 activation ranges (never evaluation data)."
    )
    evaluation: SampleSource = Field(
        description="Held-out inputs (and labels) every variant is measured on."
    )
    accuracy_budget: AccuracyBudget = AccuracyBudget()

    @model_validator(mode="after")
    def _calibration_needed(self) -> Compression:
        from sdkgen.compression.recipes import RECIPES

        static = [m for m in self.android.quantize if RECIPES[m].needs_calibration]
        static += [m for m in self.android.litert_quantize if m == "int8"]
        if static and self.calibration is None:
            raise FieldError("calibration", f"android.quantize {static[0]} needs calibration samples")
        return self


class ModelSpec(Strict):
    """sdkgen model definition."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, title="sdkgen model definition"
    )

    schema_version: Literal[1] = Field(description="Version of this file format.")
    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="Display name; type and file names are derived from it."
    )
    version: str = Field("1.0.0", description="Version of the generated SDKs.")
    metadata: Metadata = Metadata()
    model: ModelSource
    inputs: Annotated[list[InputSpec], Field(min_length=1)]
    outputs: Annotated[list[OutputSpec], Field(min_length=1)]
    platforms: Platforms
    validation: Validation = Validation()
    examples: Examples | None = None
    compression: Compression | None = None

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not _SEMVER.match(value):
            raise ValueError(f"expected a version such as 1.0.0, got {value!r}")
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> ModelSpec:
        for group, items in (("inputs", self.inputs), ("outputs", self.outputs)):
            seen: dict[str, int] = {}
            for index, item in enumerate(items):
                if item.name in seen:
                    raise FieldError(
                        f"{group}[{index}].name",
                        f"duplicate name {item.name!r} (also {group}[{seen[item.name]}])",
                    )
                seen[item.name] = index
        names = {o.name for o in self.outputs}
        for name in self.validation.outputs:
            if name not in names:
                raise FieldError(
                    f"validation.outputs.{name}",
                    f"no output named {name!r}{_did_you_mean(name, sorted(names))}",
                )
        images = self.examples.images if self.examples is not None else None
        if images is not None and [i.kind for i in self.inputs] != ["image"]:
            raise FieldError("examples.images", "image files need exactly one input, of kind image")
        return self


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedSpec:
    spec: ModelSpec  # or sdkgen.llm.definition.GenerationModelSpec (task: text-generation)
    path: Path  # the definition file, absolute
    base_dir: Path  # its folder: relative paths resolve against it
    labels: dict[str, tuple[str, ...]]  # output name → labels, for classification outputs
    sha256: str  # of the definition plus every file it names (labels, weights, program)

    def resolve(self, relative: str) -> Path:
        return (self.base_dir / relative).resolve()


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _format_location(location: tuple[Any, ...]) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _allowed_keys(location: tuple[Any, ...], schema: Any = None) -> list[str]:
    """The field names of the model at ``location`` (for "did you mean" on unknown keys)."""
    model: Any = schema or ModelSpec
    for part in location:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        nested = [
            c for c in candidates + [a for c in candidates for a in getattr(c, "__args__", ())]
            if isinstance(c, type) and issubclass(c, BaseModel)
        ]
        if not nested:
            return []
        model = nested[0]
    return list(getattr(model, "model_fields", {}))


def _spec_errors(error: ValidationError, schema: Any = None) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for item in error.errors():
        location = tuple(item["loc"])
        context = item.get("ctx") or {}
        original = context.get("error")
        message = item["msg"].removeprefix("Value error, ")
        if isinstance(original, FieldError):
            location = location + tuple(original.relative.split("."))
        if item["type"] == "extra_forbidden":
            key = str(location[-1])
            message = f"unknown field{_did_you_mean(key, _allowed_keys(location[:-1], schema))}"
        elif item["type"] == "missing":
            message = "required field is missing"
        problems.append((_format_location(location), message))
    return problems


def _schema_for_task(task: Any, source: str) -> Any:
    """The schema of a definition: ``task:`` picks one that has its own (text-generation)."""
    if task is None:
        return ModelSpec
    from sdkgen.llm.definition import TASK, GenerationModelSpec

    schemas = {TASK: GenerationModelSpec}
    if task not in schemas:
        raise SpecError(
            f"unknown task {task!r}; tasks with their own definition: {', '.join(schemas)} (leave "
            "task out for a model described by inputs and outputs)", field="task", file=source,
        )
    return schemas[task]


def validate_spec(document: Any, *, source: str = "sdkgen.yaml") -> Any:
    """Validate a parsed YAML document; raise SpecError naming every bad field."""
    if not isinstance(document, dict):
        raise SpecError(
            f"expected a mapping of fields at the top level, got {type(document).__name__}",
            file=source,
            hint="start from `sdkgen init`, which writes a complete, commented definition",
        )
    schema = _schema_for_task(document.get("task"), source)
    try:
        return schema.model_validate(document)
    except ValidationError as error:
        problems = _spec_errors(error, schema)
        first_field, first_message = problems[0]
        more = "".join(f"\n  {field}: {message}" for field, message in problems[1:])
        raise SpecError(first_message + more, field=first_field, file=source) from None


def _read_labels(path: Path, field: str) -> tuple[str, ...]:
    if not path.is_file():
        raise SpecError(f"labels file {path} not found", field=field)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SpecError(
            f"labels file {path} is not UTF-8 (byte {error.start})", field=field
        ) from None
    labels = tuple(line.removesuffix("\r") for line in text.removesuffix("\n").split("\n"))
    if text.strip() == "":
        raise SpecError(f"labels file {path} is empty", field=field)
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise SpecError(f"labels file {path} repeats {duplicates[:5]}", field=field)
    return labels


def _check_tokenizer(base_dir: Path, relative: str, field: str, definition: Path) -> Path:
    """The tokenizer.json of a text input: it exists and uses only what the SDKs implement."""
    from sdkgen.tokenizers.support import check_supported

    file = (base_dir / relative).resolve()
    if not file.is_file():
        raise SpecError(f"tokenizer file {file} not found", field=field, file=str(definition),
                        hint="point it at the tokenizer.json saved by the `tokenizers` library "
                        "(or by a transformers tokenizer's save_pretrained)")
    try:
        check_supported(file)
    except SpecError as error:
        raise SpecError(f"{file.name}: {error.message.removeprefix(f'{file}: ')}", field=field,
                        file=str(definition),
                        hint=error.hint) from None
    return file


def _hash_files(spec_text: bytes, files: list[Path]) -> str:
    digest = hashlib.sha256(spec_text)
    for file in files:
        digest.update(file.name.encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def load_spec(path: Path) -> LoadedSpec:
    """Read, parse and validate a definition, and read the files it names."""
    path = path.resolve()
    if not path.is_file():
        raise SpecError(f"definition {path} not found", hint="create one with `sdkgen init`")
    raw = path.read_bytes()
    try:
        document = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError(f"not valid YAML{where}: {problem}", file=str(path)) from None
    spec = validate_spec(document, source=str(path))
    base_dir = path.parent
    if not isinstance(spec, ModelSpec):
        from sdkgen.llm.source import source_files

        return LoadedSpec(spec=spec, path=path, base_dir=base_dir, labels={},
                          sha256=_hash_files(raw, source_files(spec, base_dir, str(path))))
    labels: dict[str, tuple[str, ...]] = {}
    named_files: list[Path] = []
    for index, output in enumerate(spec.outputs):
        if output.classification is not None:
            labels_path = (base_dir / output.classification.labels).resolve()
            labels[output.name] = _read_labels(labels_path, f"outputs[{index}].classification.labels")
            named_files.append(labels_path)
    for index, spec_input in enumerate(spec.inputs):
        if spec_input.text is not None:
            named_files.append(_check_tokenizer(base_dir, spec_input.text.tokenizer,
                                                f"inputs[{index}].text.tokenizer", path))
    for field in ("weights", "program"):
        relative = getattr(spec.model, field)
        if relative is not None:
            file = (base_dir / relative).resolve()
            if not file.is_file():
                raise SpecError(f"file {file} not found", field=f"model.{field}", file=str(path))
            named_files.append(file)
    if spec.examples is not None and spec.examples.images is not None:
        for index, relative in enumerate(spec.examples.images):
            file = (base_dir / relative).resolve()
            if not file.is_file():
                raise SpecError(f"file {file} not found", field=f"examples.images[{index}]",
                                file=str(path))
            named_files.append(file)
    return LoadedSpec(
        spec=spec, path=path, base_dir=base_dir, labels=labels,
        sha256=_hash_files(raw, named_files),
    )


def json_schema(task: str | None = None) -> str:
    """The definition's JSON Schema (for editors), as deterministic text; ``task`` picks the schema
    of a task with its own definition (``text-generation``)."""
    schema = _schema_for_task(task, "--task").model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
