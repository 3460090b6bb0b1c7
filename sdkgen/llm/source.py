"""The model files a text-generation definition names: resolve, describe, check, load.

:func:`describe_source` reads only metadata (``config.json`` or the GGUF header, the tokenizer),
so ``sdkgen validate`` can refuse an architecture sdkgen cannot export, a context length beyond
the model's positions, a tokenizer that does not fit the embedding, and warn about a model too large
for a phone, all before any weight is loaded. :func:`load_eager` loads the float32 PyTorch model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdkgen.errors import ModelLoadError, SpecError
from sdkgen.llm import architectures

if TYPE_CHECKING:
    from sdkgen.llm.definition import GenerationModelSpec

_HF_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
             "special_tokens_map.json", "tokenizer.model")
FIELD = "generation.source"

# bytes per weight of each format (4-bit formats carry one 16-bit scale (+ zero) per group)
# gguf-q4: 4-bit codes, a bfloat16 scale and a float32 offset per block of 32
ANDROID_BYTES_PER_WEIGHT = {"gguf-q4": 0.5 + 6 / 32, "8da4w": 0.5 + 4 / 32,
                            "8da8w": 1.0 + 4 / 256, "fp32": 4.0}
# gguf-q4 on iOS: 4-bit codes, a float16 scale and a float16 offset per block of 32
IOS_BYTES_PER_WEIGHT = {"gguf-q4": 0.5 + 4 / 32, "int4_blockwise": 0.5 + 2 / 32,
                        "int8": 1.0 + 2 / 256, "fp16": 2.0}


@dataclass(frozen=True)
class SourceInfo:
    """What the definition's model files say, read without loading weights."""

    kind: str  # "hf" | "gguf"
    path: Path  # the folder (hf) or the .gguf file
    config: Mapping[str, Any]  # config.json's fields (from the GGUF header for gguf)
    model_type: str
    max_positions: int
    embedding_rows: int
    tokenizer_size: int  # ids the tokenizer can produce (vocabulary plus added tokens)
    chat_template: str | None
    bos_id: int | None
    eos_ids: tuple[int, ...]
    parameters: int  # estimated from the config
    linear_parameters: int  # of them in the transformer blocks' projections

    @property
    def context_limit(self) -> int:
        return self.max_positions


def source_path(spec: GenerationModelSpec, base_dir: Path) -> Path:
    """The model folder or GGUF file, absolute (relative to ``source.package`` when given)."""
    source = spec.generation.source
    relative = source.hf if source.hf is not None else source.gguf
    assert relative is not None
    if source.package is not None:
        from sdkgen.tokenizers.sources import MissingSourceError, package_directory

        try:
            root = package_directory(source.package)
        except MissingSourceError as error:
            raise SpecError(str(error.message), field=f"{FIELD}.package",
                            hint=f"pip install the distribution providing {source.package!r}"
                            ) from None
    else:
        root = base_dir
    return (root / relative).resolve()


def source_files(spec: GenerationModelSpec, base_dir: Path, definition: str) -> list[Path]:
    """The files the build reads (hashed into the definition's digest), checked to exist."""
    path = source_path(spec, base_dir)
    if spec.generation.source.gguf is not None:
        if not path.is_file():
            raise SpecError(f"GGUF file {path} not found", field=f"{FIELD}.gguf", file=definition)
        return [path]
    if not (path / "config.json").is_file():
        raise SpecError(f"{path} holds no config.json (a Hugging Face model folder has one)",
                        field=f"{FIELD}.hf", file=definition)
    weights = sorted(path.glob("*.safetensors"))
    if not weights:
        raise SpecError(f"{path} holds no *.safetensors weights", field=f"{FIELD}.hf",
                        file=definition, hint="save the model with save_pretrained(safe_serialization=True)")
    return [path / name for name in _HF_FILES if (path / name).is_file()] + weights


def _estimate_parameters(config: Mapping[str, Any]) -> tuple[int, int]:
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    kv_heads = int(config.get("num_key_value_heads") or heads)
    head_dim = int(config.get("head_dim") or hidden // heads)
    layers = int(config["num_hidden_layers"])
    intermediate = int(config["intermediate_size"])
    vocab = int(config["vocab_size"])
    linear = layers * (2 * hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim
                       + 3 * hidden * intermediate)
    embeddings = vocab * hidden * (1 if config.get("tie_word_embeddings", False) else 2)
    return linear + embeddings + (2 * layers + 1) * hidden, linear


def _hf_config(path: Path) -> dict[str, Any]:
    try:
        return json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise SpecError(f"cannot read {path / 'config.json'}: {error}", field=f"{FIELD}.hf"
                        ) from None


def _gguf_config(path: Path) -> dict[str, Any]:
    from transformers import AutoConfig

    try:
        config = AutoConfig.from_pretrained(str(path.parent), gguf_file=path.name)
    except Exception as error:
        raise SpecError(f"cannot read the GGUF header of {path}: {type(error).__name__}: {error}",
                        field=f"{FIELD}.gguf") from None
    return config.to_dict()


def load_tokenizer(spec: GenerationModelSpec, base_dir: Path) -> Any:
    """The model's fast tokenizer (transformers), from the folder or the GGUF file."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    path = source_path(spec, base_dir)
    try:
        if spec.generation.source.gguf is not None:
            return AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
        return AutoTokenizer.from_pretrained(str(path))
    except Exception as error:
        raise SpecError(f"cannot load the tokenizer of {path}: {type(error).__name__}: {error}",
                        field=FIELD, hint="a model folder needs tokenizer.json (or a tokenizer "
                        "transformers converts to one)") from None


def _eos_ids(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    return tuple(int(v) for v in (value if isinstance(value, list) else [value]))


def describe_source(spec: GenerationModelSpec, base_dir: Path) -> SourceInfo:
    """Read the model's metadata and tokenizer; no weights are loaded."""
    path = source_path(spec, base_dir)
    kind = "gguf" if spec.generation.source.gguf is not None else "hf"
    config = _gguf_config(path) if kind == "gguf" else _hf_config(path)
    missing = [key for key in ("model_type", "hidden_size", "num_attention_heads",
                               "num_hidden_layers", "intermediate_size", "vocab_size")
               if key not in config]
    if missing:
        raise SpecError(f"the model's config lacks {', '.join(missing)}", field=FIELD)
    tokenizer = load_tokenizer(spec, base_dir)
    generation: dict[str, Any] = {}
    if kind == "hf" and (path / "generation_config.json").is_file():
        generation = json.loads((path / "generation_config.json").read_text(encoding="utf-8"))
    eos = _eos_ids(generation.get("eos_token_id", config.get("eos_token_id")))
    if not eos and tokenizer.eos_token_id is not None:
        eos = (int(tokenizer.eos_token_id),)
    bos = generation.get("bos_token_id", config.get("bos_token_id"))
    parameters, linear = _estimate_parameters(config)
    template = getattr(tokenizer, "chat_template", None)
    return SourceInfo(
        kind=kind, path=path, config=config, model_type=str(config["model_type"]),
        max_positions=int(config.get("max_position_embeddings") or 0),
        embedding_rows=int(config["vocab_size"]), tokenizer_size=len(tokenizer),
        chat_template=template if isinstance(template, str) else None,
        bos_id=int(bos) if isinstance(bos, int) else None, eos_ids=eos,
        parameters=parameters, linear_parameters=linear,
    )


def estimated_sizes_mb(info: SourceInfo, spec: GenerationModelSpec) -> dict[str, float]:
    """Weights plus KV cache of the first format of each platform, in MB."""
    config = info.config
    heads = int(config["num_attention_heads"])
    kv_heads = int(config.get("num_key_value_heads") or heads)
    head_dim = int(config.get("head_dim") or int(config["hidden_size"]) // heads)
    cache_values = 2 * int(config["num_hidden_layers"]) * kv_heads * head_dim * \
        spec.generation.context_length
    other = info.parameters - info.linear_parameters
    quantization = spec.generation.quantization
    android = info.linear_parameters * ANDROID_BYTES_PER_WEIGHT[quantization.android[0]] + \
        other * 4 + cache_values * 4
    ios = info.linear_parameters * IOS_BYTES_PER_WEIGHT[quantization.ios[0]] + other * 2 + \
        cache_values * 2
    return {"android": round(android / 1e6, 1), "ios": round(ios / 1e6, 1)}


def _has_four_bit_blocks(info: SourceInfo) -> bool:
    if info.kind != "gguf":
        return False
    from sdkgen.llm.gguf_blocks import four_bit_tensors

    return four_bit_tensors(info.path) > 0


def check_source(spec: GenerationModelSpec, info: SourceInfo) -> list[str]:
    """Refuse what cannot be built (SpecError); return warnings (a model too large for a phone)."""
    generation = spec.generation
    if generation.architecture != info.model_type:
        raise SpecError(
            f"the definition says {generation.architecture!r} but the model's config says "
            f"{info.model_type!r}", field="generation.architecture",
            hint=f"set architecture: {info.model_type}",
        )
    architectures.architecture_for(info.model_type)
    architectures.model_args(info.config, generation.context_length)  # refuses unmapped features
    if info.max_positions and generation.context_length > info.max_positions:
        raise SpecError(
            f"{generation.context_length} is beyond the model's {info.max_positions} positions "
            "(max_position_embeddings)", field="generation.context_length",
            hint=f"use at most {info.max_positions}",
        )
    if info.tokenizer_size > info.embedding_rows:
        raise SpecError(
            f"the tokenizer produces {info.tokenizer_size} ids but the embedding has "
            f"{info.embedding_rows} rows (vocab_size): ids beyond it have no embedding",
            field="generation.source",
            hint="use the tokenizer the model was trained with",
        )
    tokens = generation.special_tokens
    for name, ids in (("bos_id", [tokens.bos_id] if tokens.bos_id is not None else []),
                      ("eos_ids", tokens.eos_ids)):
        for token in ids:
            if token >= info.tokenizer_size:
                raise SpecError(f"id {token} is beyond the tokenizer's {info.tokenizer_size} ids",
                                field=f"generation.special_tokens.{name}")
    quantization = generation.quantization
    if "8da4w" in quantization.android:
        hidden = int(info.config["hidden_size"])
        intermediate = int(info.config["intermediate_size"])
        bad = [d for d in (hidden, intermediate) if d % quantization.group_size]
        if bad:
            raise SpecError(
                f"8da4w groups of {quantization.group_size} do not divide the input channels {bad[0]}",
                field="generation.quantization.group_size",
                hint="choose a group size that divides hidden_size and intermediate_size",
            )
    for platform in ("android", "ios"):
        formats = getattr(quantization, platform)
        if formats == ["gguf-q4"] and not _has_four_bit_blocks(info):
            raise SpecError(
                "gguf-q4 carries a GGUF file's Q4_0/Q4_1 blocks, and "
                + ("this source is not a GGUF file" if info.kind != "gguf" else
                   f"{info.path.name} holds no Q4_0/Q4_1 tensors"),
                field=f"generation.quantization.{platform}",
                hint="list a format after it that any weights can take: "
                + ("8da4w" if platform == "android" else "int4_blockwise"),
            )
    warnings = []
    sizes = estimated_sizes_mb(info, spec)
    budget = generation.memory_budget
    for platform, limit in (("android", budget.android_mb), ("ios", budget.ios_mb)):
        if sizes[platform] > limit:
            warnings.append(
                f"{platform}: the model needs about {sizes[platform]:.0f} MB (weights in "
                f"{getattr(quantization, platform)[0]} plus a {generation.context_length}-token KV "
                f"cache), above the {limit} MB budget (generation.memory_budget.{platform}_mb): "
                "many phones will not hold it; quantise further or shorten context_length"
            )
    return warnings


def load_eager(spec: GenerationModelSpec, base_dir: Path) -> Any:
    """The float32 ``transformers`` model in eval mode (GGUF weights dequantised)."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    path = source_path(spec, base_dir)
    try:
        if spec.generation.source.gguf is None:
            model = AutoModelForCausalLM.from_pretrained(str(path), dtype=torch.float32)
        else:
            from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

            config = AutoConfig.from_pretrained(str(path.parent), gguf_file=path.name)
            model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
            tensors = load_gguf_checkpoint(str(path), return_tensors=True, model_to_load=model,
                                           torch_dtype=torch.float32)["tensors"]
            missing, unexpected = model.load_state_dict(tensors, strict=False)
            missing = [m for m in missing if not (config.tie_word_embeddings and m == "lm_head.weight")]
            if missing or unexpected:
                raise ModelLoadError(f"the GGUF tensors of {path} do not fit the "
                                     f"{config.model_type} model: missing {missing[:3]}, "
                                     f"unexpected {unexpected[:3]}")
            model.tie_weights()
    except ModelLoadError:
        raise
    except Exception as error:
        raise ModelLoadError(f"cannot load {path}: {type(error).__name__}: {error}") from error
    model.eval().requires_grad_(False)
    return model
