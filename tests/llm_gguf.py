"""A tiny random Llama written as a GGUF file with llama.cpp's quantised blocks.

One layer (an export costs time per layer): its attention projections Q4_1, its MLP projections
Q4_0, the embedding Q8_0, the norms float32: the formats a llama.cpp "Q4_0"/"Q4_1" file holds.
Quantised with the ``gguf`` package's own quantisers, and named and permuted as llama.cpp's
converter writes them (q/k rows in its rotary layout), so ``transformers`` loads it as a
``LlamaForCausalLM``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

HIDDEN, INTERMEDIATE, LAYERS, HEADS, KV_HEADS, VOCAB = 64, 128, 1, 4, 2, 96
ATTENTION_FORMAT, MLP_FORMAT = "Q4_1", "Q4_0"


def projection_format(name: str) -> str:
    """The block format of a projection, by its ``transformers`` parameter name."""
    return ATTENTION_FORMAT if ".self_attn." in name else MLP_FORMAT


def _permute(weights: np.ndarray, heads: int) -> np.ndarray:
    """llama.cpp's converter: HF's rotary halves → interleaved pairs (the loader undoes it)."""
    return (weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def write_tiny_gguf(path: Path, *, seed: int = 0) -> Path:
    from gguf import GGMLQuantizationType, GGUFWriter
    from gguf.quants import quantize

    rng = np.random.default_rng(seed)
    writer = GGUFWriter(str(path), "llama")
    writer.add_block_count(LAYERS)
    writer.add_context_length(128)
    writer.add_embedding_length(HIDDEN)
    writer.add_feed_forward_length(INTERMEDIATE)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_rope_freq_base(10000.0)
    writer.add_vocab_size(VOCAB)

    def add(name: str, values: np.ndarray, format: str) -> None:
        kind = GGMLQuantizationType[format]
        if format == "F32":
            writer.add_tensor(name, values.astype(np.float32))
            return
        writer.add_tensor(name, quantize(values.astype(np.float32), kind), raw_dtype=kind)

    def weight(rows: int, columns: int) -> np.ndarray:
        # rows of differing sign balance, so the Q4_1 minima are not all -max
        return (rng.normal(0.0, 0.3, (rows, columns)) + rng.normal(0.0, 0.1, (rows, 1)))

    head_dim = HIDDEN // HEADS
    add("token_embd.weight", weight(VOCAB, HIDDEN), "Q8_0")
    add("output_norm.weight", 1 + 0.1 * rng.normal(size=HIDDEN), "F32")
    for layer in range(LAYERS):
        prefix = f"blk.{layer}."
        add(prefix + "attn_norm.weight", 1 + 0.1 * rng.normal(size=HIDDEN), "F32")
        add(prefix + "ffn_norm.weight", 1 + 0.1 * rng.normal(size=HIDDEN), "F32")
        add(prefix + "attn_q.weight", _permute(weight(HEADS * head_dim, HIDDEN), HEADS),
            ATTENTION_FORMAT)
        add(prefix + "attn_k.weight", _permute(weight(KV_HEADS * head_dim, HIDDEN), KV_HEADS),
            ATTENTION_FORMAT)
        add(prefix + "attn_v.weight", weight(KV_HEADS * head_dim, HIDDEN), ATTENTION_FORMAT)
        add(prefix + "attn_output.weight", weight(HIDDEN, HEADS * head_dim), ATTENTION_FORMAT)
        add(prefix + "ffn_gate.weight", weight(INTERMEDIATE, HIDDEN), MLP_FORMAT)
        add(prefix + "ffn_up.weight", weight(INTERMEDIATE, HIDDEN), MLP_FORMAT)
        add(prefix + "ffn_down.weight", weight(HIDDEN, INTERMEDIATE), MLP_FORMAT)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def load_tiny_gguf(path: Path) -> Any:
    """The float32 ``LlamaForCausalLM`` ``transformers`` dequantises from ``path``."""
    import torch
    import transformers
    from transformers.modeling_gguf_pytorch_utils import load_gguf_checkpoint

    config = transformers.LlamaConfig(
        vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=INTERMEDIATE,
        num_hidden_layers=LAYERS, num_attention_heads=HEADS, num_key_value_heads=KV_HEADS,
        max_position_embeddings=128, rms_norm_eps=1e-5, tie_word_embeddings=True,
    )
    model = transformers.LlamaForCausalLM(config).to(torch.float32)
    tensors = load_gguf_checkpoint(str(path), return_tensors=True, model_to_load=model,
                                   torch_dtype=torch.float32)["tensors"]
    missing, unexpected = model.load_state_dict(tensors, strict=False)
    assert not unexpected and set(missing) <= {"lm_head.weight"}, (missing, unexpected)
    model.tie_weights()
    return model.eval().requires_grad_(False)
