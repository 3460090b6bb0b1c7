"""A tiny random-weight Llama (``llm_models``) written as a float32 GGUF file, as llama.cpp's own
``convert_hf_to_gguf.py`` writes a Llama: llama.cpp's names, q/k rows permuted to its rotary
layout, the byte-level BPE tokenizer as ``gpt2`` tokens and merges, the chat template. The
vocabulary is padded (as real checkpoints pad it) so that the tokenizer ``transformers`` reads
from the file (which adds ``<|endoftext|>``) fits the embedding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _permute(weights: Any, heads: int) -> Any:
    """HF's rotary halves → llama.cpp's interleaved pairs (``LlamaModel.permute``)."""
    return (weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


PADDED_VOCAB = 3072  # rows of the GGUF's embedding: the tokenizer's ids, <|endoftext|>, padding
END_OF_TEXT = "<|endoftext|>"  # transformers' GGUF tokenizer adds it when the file lacks it


def _tokenizer(writer: Any, folder: Path) -> None:
    import gguf

    document = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    vocabulary = dict(document["model"]["vocab"])
    special = set()
    for added in document.get("added_tokens", []):
        vocabulary[added["content"]] = added["id"]
        if added.get("special"):
            special.add(added["id"])
    used = max(vocabulary.values()) + 1
    size = PADDED_VOCAB
    tokens = [f"[PAD{i}]" for i in range(size)]
    for text, index in vocabulary.items():
        tokens[index] = text
    tokens[used] = END_OF_TEXT
    special |= {used, *range(used + 1, size)}
    merges = [m if isinstance(m, str) else " ".join(m) for m in document["model"]["merges"]]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types([gguf.TokenType.CONTROL if i in special else gguf.TokenType.NORMAL
                            for i in range(size)])
    writer.add_token_merges(merges)
    config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    template = config.get("chat_template")
    if template is None and (folder / "chat_template.jinja").is_file():
        template = (folder / "chat_template.jinja").read_text(encoding="utf-8")
    writer.add_chat_template(template)


def write_llama_gguf(folder: Path, path: Path) -> Path:
    """The Hugging Face Llama folder ``folder`` as a float32 GGUF file at ``path``."""
    import gguf
    import numpy as np
    from safetensors.numpy import load_file

    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    state = load_file(str(folder / "model.safetensors"))
    heads, kv_heads = config["num_attention_heads"], config["num_key_value_heads"]
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny llama")
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_layer_norm_rms_eps(config["rms_norm_eps"])
    writer.add_rope_freq_base(config.get("rope_theta", 10000.0))
    writer.add_rope_dimension_count(config["hidden_size"] // heads)
    writer.add_vocab_size(PADDED_VOCAB)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_bos_token_id(config["bos_token_id"])
    eos = config["eos_token_id"]
    writer.add_eos_token_id(eos[0] if isinstance(eos, list) else eos)
    writer.add_add_bos_token(False)
    _tokenizer(writer, folder)
    names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight":
             "output_norm.weight", "lm_head.weight": "output.weight"}
    per_layer = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q",
                 "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
                 "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
                 "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    for layer in range(config["num_hidden_layers"]):
        for source, target in per_layer.items():
            names[f"model.layers.{layer}.{source}.weight"] = f"blk.{layer}.{target}.weight"
    for source, target in names.items():
        if source not in state:
            continue
        weights = np.ascontiguousarray(state[source], dtype=np.float32)
        if target in ("token_embd.weight", "output.weight"):  # zero rows: never predicted
            weights = np.concatenate([weights, np.zeros((PADDED_VOCAB - weights.shape[0],
                                                         weights.shape[1]), np.float32)])
        if target.endswith("attn_q.weight"):
            weights = _permute(weights, heads)
        elif target.endswith("attn_k.weight"):
            weights = _permute(weights, kv_heads)
        writer.add_tensor(target, np.ascontiguousarray(weights))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
