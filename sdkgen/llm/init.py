"""``sdkgen init --hf DIR`` (decoder language models) and ``--gguf FILE``: a ``task:
text-generation`` definition that builds without edits.

Everything written is read from the model's files: the architecture (``model_type``), the
context length (the model's positions, capped at :data:`DEFAULT_CONTEXT` to keep the KV cache of
a phone-sized build small), the special tokens (``bos``; every end id the config, the generation
config and the tokenizer name, plus the chat format's end-of-turn tokens the tokenizer has), and
the chat template (kept in the model's files, reduced at build time). The result is validated
against the model before it is written, so an architecture sdkgen cannot export is refused here.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sdkgen.codegen import naming
from sdkgen.errors import UsageError
from sdkgen.llm.architectures import ARCHITECTURES, NOT_EXPRESSIBLE

DEFAULT_CONTEXT = 2048
# end-of-turn tokens of common chat formats (ChatML, Llama 3, Phi-3, Gemma): ids that end a reply
END_OF_TURN = ("<|im_end|>", "<|eot_id|>", "<|end|>", "<end_of_turn>", "<|endoftext|>",
               "<|end_of_text|>")


def is_decoder(config: Mapping[str, Any]) -> bool:
    model_type = str(config.get("model_type", ""))
    architectures = config.get("architectures") or []
    return (model_type in ARCHITECTURES or model_type in NOT_EXPRESSIBLE
            or any(str(a).endswith("ForCausalLM") for a in architectures))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _special_tokens(tokenizer: Any, config: Mapping[str, Any],
                    generation: Mapping[str, Any]) -> tuple[int | None, list[int]]:
    def ids(value: Any) -> list[int]:
        if value is None:
            return []
        return [int(v) for v in (value if isinstance(value, list) else [value])]

    eos = ids(generation.get("eos_token_id")) + ids(config.get("eos_token_id"))
    if tokenizer.eos_token_id is not None:
        eos.append(int(tokenizer.eos_token_id))
    special = set(tokenizer.all_special_tokens) | {
        t.content for t in getattr(tokenizer, "added_tokens_decoder", {}).values() if t.special}
    for text in END_OF_TURN:
        if text in special:
            token = tokenizer.convert_tokens_to_ids(text)
            if isinstance(token, int):
                eos.append(token)
    bos = generation.get("bos_token_id", config.get("bos_token_id"))
    if not isinstance(bos, int):
        bos = tokenizer.bos_token_id
    return (int(bos) if isinstance(bos, int) else None), sorted(dict.fromkeys(eos))


def _render(*, name: str, source_lines: str, config: Mapping[str, Any], tokenizer: Any,
            generation_config: Mapping[str, Any], has_template: bool, origin: str,
            android_formats: str = "8da4w, 8da8w, fp32",
            ios_formats: str = "int4_blockwise, fp16") -> str:
    bos, eos = _special_tokens(tokenizer, config, generation_config)
    if not eos:
        raise UsageError(f"{origin}: the model names no end-of-sequence token",
                         hint="write the definition by hand with generation.special_tokens.eos_ids")
    positions = int(config.get("max_position_embeddings") or DEFAULT_CONTEXT)
    context = min(positions, DEFAULT_CONTEXT)
    package = "com.example." + (naming.snake_name(name).replace("_", "") or "model")
    eos_names = ", ".join(tokenizer.convert_ids_to_tokens(i) or "?" for i in eos)
    sampling = {key: generation_config.get(key) for key in ("temperature", "top_k", "top_p")}
    temperature = float(sampling["temperature"]) if sampling["temperature"] is not None else 0.7
    top_k = int(sampling["top_k"]) if sampling["top_k"] is not None else 40
    top_p = float(sampling["top_p"]) if sampling["top_p"] is not None else 0.9
    bos_line = f"{bos}" if bos is not None else "null"
    bos_name = f"  # {tokenizer.convert_ids_to_tokens(bos)}" if bos is not None else ""
    return f"""# sdkgen model definition of a decoder language model (task: text-generation).
# Written by `sdkgen init` from {origin}.
# Validate with `sdkgen validate`, build with `sdkgen build`. Relative paths resolve against this
# file's folder. Fields and their meaning: docs/text-generation.md.
schema_version: 1
task: text-generation
name: {_q(name)}          # display name; type names derive from it
version: 1.0.0               # version of the generated SDKs
metadata:
  author: ""
  license: ""
  description: ""

generation:
  source:
{source_lines}
  architecture: {config.get("model_type")}         # config.json's model_type
  context_length: {context}          # prompt + reply tokens (the model has {positions} positions)
  special_tokens:
    bos_id: {bos_line}{bos_name}
    add_bos: false           # the chat template (or the tokenizer) already writes any BOS
    eos_ids: {eos}       # {eos_names}
  chat_template: {"source" if has_template else "none"}     # source: the model's Jinja template
  stop_strings: []
  quantization:              # in order of preference: the first within quality_budget ships
    android: [{android_formats}]       # gguf-q4 | 8da4w | 8da8w | fp32 (ExecuTorch, XNNPACK)
    ios: [{ios_formats}]         # gguf-q4 | int4_blockwise | int8 | fp16 (Core ML: the first that applies)
    group_size: 32
    block_size: 32
    activation_groups: 1     # int8 scales per token and Android linear (4: closer to float, slower)
    outlier_channels: 0      # inputs per Android linear multiplied in float (16: closer to float, slower)
  quality_budget:            # teacher-forced on English text, against float eager PyTorch
    min_top1_agreement: 0.9
    min_top5_agreement: 0.97
    max_perplexity_ratio: 1.2
  sampling:                  # SDK defaults; every call may override them
    temperature: {temperature}
    top_k: {top_k}
    top_p: {top_p}
    max_new_tokens: 256
    seed: 0
  evaluation:
    greedy_tokens: 64        # new tokens per prompt that must equal eager PyTorch (float .pte)
    text_tokens: 1024        # tokens of English text scored teacher-forced

platforms:
  android:
    package: {package}   # Kotlin package and Android namespace
    min_sdk: 24
  ios:
    minimum_version: "18.0"   # Core ML state (the KV cache) needs iOS 18
    compute_units: all
    precision: float16
"""


def _relative(path: Path, out: Path) -> str:
    """``path`` relative to the definition's folder when it is inside it, else absolute."""
    base = out.resolve().parent
    return path.relative_to(base).as_posix() if path.is_relative_to(base) else path.as_posix()


def _check(text: str, out: Path) -> None:
    """Validate the written text against the model's files (as `sdkgen validate` would)."""
    import tempfile

    from sdkgen.llm.plan import check_generation
    from sdkgen.spec import load_spec

    out = out.resolve()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=out.parent, delete=False,
                                     encoding="utf-8") as handle:
        handle.write(text)
    try:
        check_generation(load_spec(Path(handle.name)))
    finally:
        Path(handle.name).unlink()


def render_hf(folder: Path, config: Mapping[str, Any], out: Path, name: str | None) -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
    except Exception as error:
        raise UsageError(f"--hf {folder}: cannot load its tokenizer: {error}") from None
    generation_path = folder / "generation_config.json"
    generation = json.loads(generation_path.read_text()) if generation_path.is_file() else {}
    display = name or " ".join(w.capitalize() for w in naming.ascii_words(folder.name)) or "Model"
    text = _render(
        name=display, source_lines=f"    hf: {_q(_relative(folder, out))}     # model folder",
        config=config, tokenizer=tokenizer, generation_config=generation,
        has_template=isinstance(getattr(tokenizer, "chat_template", None), str),
        origin=f"the model folder {folder.name}",
    )
    yaml.safe_load(text)
    _check(text, out)
    return text


def render_gguf(file: Path, out: Path, name: str | None) -> str:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from transformers import AutoConfig, AutoTokenizer

    from sdkgen.llm.gguf_blocks import four_bit_tensors

    if not file.is_file():
        raise UsageError(f"--gguf {file}: no such file")
    try:
        config = AutoConfig.from_pretrained(str(file.parent), gguf_file=file.name).to_dict()
        tokenizer = AutoTokenizer.from_pretrained(str(file.parent), gguf_file=file.name)
    except Exception as error:
        raise UsageError(f"--gguf {file}: cannot read it: {type(error).__name__}: {error}") from None
    stem = file.name.removesuffix(".gguf").split(".")[0]  # drops the ".Q4_1"-style suffix
    four_bit = four_bit_tensors(file) > 0
    display = name or stem.replace("-", " ").replace("_", " ").strip() or "Model"
    text = _render(
        name=display,
        source_lines=f"    gguf: {_q(_relative(file, out))}     # dequantised to float32 on load",
        config=config, tokenizer=tokenizer, generation_config={},
        has_template=isinstance(getattr(tokenizer, "chat_template", None), str),
        origin=f"the GGUF file {file.name}",
        # a file of 4-bit blocks ships them as they are first (exact weights; on SmolLM2 the
        # fastest format that keeps the agreement, docs/text-generation.md)
        android_formats=("gguf-q4, 8da8w, 8da4w, fp32" if four_bit else "8da4w, 8da8w, fp32"),
        ios_formats="gguf-q4, int4_blockwise, fp16" if four_bit else "int4_blockwise, fp16",
    )
    yaml.safe_load(text)
    _check(text, out)
    return text
