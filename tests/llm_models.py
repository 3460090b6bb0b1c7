"""Tiny random-weight decoder models of several families, saved as Hugging Face folders.

Each is the real ``transformers`` architecture at a toy size (hidden 64, 2 layers) with the
byte-level BPE tokenizer trained here (``tests/text_tokenizer/data/bpe-llama3.tokenizer.json``,
3,000 ids) and a ChatML chat template. Weights are drawn with a large initializer range so that
next-token logits have clear winners (with the default 0.02 every logit is near zero and greedy
ties would make parity depend on rounding).
"""

from __future__ import annotations

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
    if family == "qwen2":
        return transformers.Qwen2Config(**_COMMON, rms_norm_eps=1e-6)
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
