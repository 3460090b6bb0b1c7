"""Tiny random-weight decoder models of several families, saved as Hugging Face folders.

Each is the real ``transformers`` architecture at a toy size (hidden 64, 2 layers) with the
byte-level BPE tokenizer trained here (``tests/text_tokenizer/data/bpe-llama3.tokenizer.json``,
3,000 ids) and a ChatML chat template. Weights are drawn with a large initializer range so that
next-token logits have clear winners (with the default 0.02 every logit is near zero and greedy
ties would make parity depend on rounding).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOKENIZER = Path(__file__).resolve().parent / "text_tokenizer" / "data" / "bpe-llama3.tokenizer.json"
CHATML = (
    "{% for message in messages %}{{ '<|begin_of_text|>' + message['role'] + '\\n' + "
    "message['content'] + '<|eot_id|>\\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|begin_of_text|>assistant\\n' }}{% endif %}"
)
VOCAB = 3000
BOS, EOS, EOT = 0, 1, 2

_COMMON: dict[str, Any] = {
    "vocab_size": VOCAB, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
    "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 256,
    "bos_token_id": BOS, "eos_token_id": [EOS, EOT], "initializer_range": 0.3,
    "tie_word_embeddings": False,
}


def _config(family: str) -> Any:
    import transformers

    if family == "llama":
        return transformers.LlamaConfig(**_COMMON, rms_norm_eps=1e-5)
    if family == "qwen2":  # transformers' Qwen2 tokenizer adds <|endoftext|>: a padded
        # embedding as real Qwen checkpoints have (more rows than the tokenizer's ids)
        return transformers.Qwen2Config(**{**_COMMON, "vocab_size": 3072}, rms_norm_eps=1e-6)
    if family == "qwen3":
        return transformers.Qwen3Config(**{**_COMMON, "tie_word_embeddings": True}, head_dim=16)
    if family == "phi3":
        return transformers.Phi3Config(**_COMMON, pad_token_id=EOS)
    if family == "gemma":
        return transformers.GemmaConfig(**_COMMON, head_dim=16)
    raise ValueError(family)


FAMILIES = ("llama", "qwen2", "qwen3", "phi3")


def save_tiny_model(family: str, folder: Path, *, seed: int = 0) -> Path:
    """A random ``family`` model with the trained tokenizer, as a Hugging Face folder."""
    import torch
    from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(_config(family), dtype=torch.float32)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=str(TOKENIZER), bos_token="<|begin_of_text|>",
        eos_token="<|end_of_text|>",
    )
    tokenizer.chat_template = CHATML
    tokenizer.save_pretrained(folder)
    return folder


# few prompts, few tokens, a short context: seconds per export
FAST: dict[str, Any] = {
    "generation.evaluation.greedy_tokens": 12, "generation.evaluation.text_tokens": 64,
    "generation.evaluation.prompts": ["What is the capital of France?", "Hello there"],
    "generation.context_length": 64,
}
# Qwen3 on both platforms: an 8da4w variant with activation groups and outlier channels that
# misses an exacting budget (so fp32 ships), a hostile display name and stop strings (quotes,
# backslashes, interpolation, comment ends)
HOSTILE_NAME = 'Tiny "Qwen3" $LM'
BOTH_PLATFORMS: dict[str, Any] = {
    "name": HOSTILE_NAME,
    "generation.stop_strings": ["<|eot_id|>", '\n"User": ${x} \\(y) */'],
    "generation.quantization.android": ["8da4w", "fp32"],
    "generation.quantization.activation_groups": 4,
    "generation.quantization.outlier_channels": 2,
    "generation.quality_budget": {"min_top1_agreement": 1.0, "min_top5_agreement": 1.0,
                                  "max_perplexity_ratio": 1.0},
}


def tiny_definition(family: str, root: Path, edits: dict[str, Any]) -> Path:
    """``sdkgen init --hf`` of a tiny ``family`` model, then :data:`FAST` and ``edits`` (dotted keys)."""
    import yaml
    from click.testing import CliRunner

    from sdkgen.cli import cli

    folder = save_tiny_model(family, root / family)
    out = root / f"{family}.yaml"
    result = CliRunner().invoke(cli, ["init", "--hf", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text())
    for dotted, value in {**FAST, **edits}.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    out.write_text(yaml.safe_dump(document, allow_unicode=True))
    return out


def build_definition(spec: Path, out: Path, platform: str) -> dict[str, Any]:
    """``sdkgen build SPEC --platform PLATFORM --json``; the report."""
    from click.testing import CliRunner

    from sdkgen.cli import cli

    result = CliRunner().invoke(cli, ["build", str(spec), "--out", str(out), "--platform",
                                      platform, "--json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 0, document
    return dict(document["report"])


@dataclass(frozen=True)
class GenerationBuild:
    spec: Path
    out: Path  # the build folder: artifacts/, golden/, android/, ios/, report.json
    report: dict[str, Any]

    def sdk(self) -> Any:
        """The SdkContext the build rendered its trees from."""
        from sdkgen.llm.plan import make_generation_plan
        from sdkgen.llm.sdk_context import generation_sdk_context
        from sdkgen.spec import load_spec
        from sdkgen.version import tool_versions

        return generation_sdk_context(make_generation_plan(load_spec(self.spec)), tool_versions())
