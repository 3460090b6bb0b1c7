"""Tiny GGUF files of real architectures, written with ``gguf``'s own ``GGUFWriter``, for tests.

:func:`write_llama_gguf` writes a ``transformers`` Llama model (any size) and a byte-level BPE
``tokenizer.json`` the way llama.cpp's ``convert_hf_to_gguf.py`` does: llama.cpp's tensor names,
q/k rows permuted into llama.cpp's rotary layout (which ``transformers`` undoes on load), the
tokenizer as ``tokenizer.ggml.*`` metadata (``gpt2`` model, a ``pre`` name that selects the split
regex, tokens in the byte-level alphabet, merges, control tokens marked) and the chat template.
Weights are float32 by default, or one of the block formats ``gguf.quants`` can write (Q8_0,
Q4_0, Q4_1, …) for the linear layers. :func:`write_tiny_gguf` is the 2-layer random Llama of
``llm_models`` with the tokenizer trained here: a GGUF of a few hundred KB, written in a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llm_models import _COMMON, CHATML, TOKENIZER

# Hugging Face parameter (per layer "{}") → llama.cpp tensor name
_GGUF_NAMES = {
    "model.embed_tokens.weight": "token_embd.weight",
    "model.norm.weight": "output_norm.weight",
    "lm_head.weight": "output.weight",
    "model.layers.{}.input_layernorm.weight": "blk.{}.attn_norm.weight",
    "model.layers.{}.self_attn.q_proj.weight": "blk.{}.attn_q.weight",
    "model.layers.{}.self_attn.k_proj.weight": "blk.{}.attn_k.weight",
    "model.layers.{}.self_attn.v_proj.weight": "blk.{}.attn_v.weight",
    "model.layers.{}.self_attn.o_proj.weight": "blk.{}.attn_output.weight",
    "model.layers.{}.post_attention_layernorm.weight": "blk.{}.ffn_norm.weight",
    "model.layers.{}.mlp.gate_proj.weight": "blk.{}.ffn_gate.weight",
    "model.layers.{}.mlp.up_proj.weight": "blk.{}.ffn_up.weight",
    "model.layers.{}.mlp.down_proj.weight": "blk.{}.ffn_down.weight",
}
TOKEN_NORMAL, TOKEN_CONTROL, TOKEN_UNUSED = 1, 3, 5  # llama.cpp's token types
# transformers' GGUF byte-level conversion (GPT2Tokenizer) adds <|endoftext|> when the vocabulary
# lacks it, one id beyond the file's tokens; GPT-2 style vocabularies carry it, so the writer does
END_OF_TEXT = "<|endoftext|>"


@dataclass(frozen=True)
class TinyGguf:
    path: Path
    model: Any  # the transformers model that was written (float32)


def _gguf_name(name: str) -> str:
    parts = name.split(".")
    if len(parts) > 2 and parts[1] == "layers":
        layer = parts[2]
        key = ".".join([*parts[:2], "{}", *parts[3:]])
        return _GGUF_NAMES[key].replace("{}", layer)
    return _GGUF_NAMES[name]


def _permute(weights: Any, heads: int) -> Any:
    """llama.cpp's ``LlamaModel.permute``: rows of each head from HF's half-split rotary layout
    into llama.cpp's interleaved one."""
    return (weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def write_llama_gguf(model: Any, tokenizer_file: Path, path: Path, *, chat_template: str | None,
                     pre: str = "llama-bpe", quantization: str | None = None) -> Path:
    """``model`` (a ``LlamaForCausalLM``) and ``tokenizer_file`` (byte-level BPE) as a GGUF file.

    ``quantization`` names a ``gguf.GGMLQuantizationType`` (``"Q8_0"``, ``"Q4_0"``, …) for the
    2-D weights of the blocks; embeddings, norms and the output stay float32.
    """
    import gguf
    import numpy as np

    config = model.config
    heads, kv_heads = config.num_attention_heads, config.num_key_value_heads
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name("tiny llama (sdkgen test fixture)")
    writer.add_block_count(config.num_hidden_layers)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_freq_base(float(config.rope_parameters["rope_theta"])
                              if getattr(config, "rope_parameters", None) else 10000.0)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(config.vocab_size)
    writer.add_rope_dimension_count(config.hidden_size // heads)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32 if quantization is None
                         else getattr(gguf.LlamaFileType, f"MOSTLY_{quantization}"))

    document = json.loads(Path(tokenizer_file).read_text(encoding="utf-8"))
    vocab: dict[str, int] = dict(document["model"]["vocab"])
    for token in document.get("added_tokens") or []:
        vocab[token["content"]] = token["id"]
    tokens = [""] * (max(vocab.values()) + 1)
    for text, index in vocab.items():
        tokens[index] = text
    special = {t["id"] for t in document.get("added_tokens") or [] if t.get("special")}
    if END_OF_TEXT not in vocab:
        special.add(len(tokens))
        tokens.append(END_OF_TEXT)
    if len(tokens) > config.vocab_size:
        raise ValueError(f"{len(tokens)} tokens do not fit the {config.vocab_size}-row embedding")
    unused = range(len(tokens), config.vocab_size)  # a padded embedding, as llama.cpp writes it
    tokens += [f"[PAD{index}]" for index in unused]
    merges = [m if isinstance(m, str) else " ".join(m) for m in document["model"]["merges"]]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(pre)
    writer.add_token_list(tokens)
    writer.add_token_types([TOKEN_CONTROL if i in special else TOKEN_UNUSED if i in unused
                            else TOKEN_NORMAL for i in range(len(tokens))])
    writer.add_token_merges(merges)
    if config.bos_token_id is not None:
        writer.add_bos_token_id(int(config.bos_token_id))
    eos = config.eos_token_id
    writer.add_eos_token_id(int(eos[0] if isinstance(eos, list) else eos))
    writer.add_add_bos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)

    quant_type = getattr(gguf.GGMLQuantizationType, quantization) if quantization else None
    for name, tensor in model.state_dict().items():
        if name.endswith("rotary_emb.inv_freq"):
            continue
        data = tensor.detach().to("cpu").float().numpy()
        if name.endswith("q_proj.weight"):
            data = _permute(data, heads)
        elif name.endswith("k_proj.weight"):
            data = _permute(data, kv_heads)
        data = np.ascontiguousarray(data, dtype=np.float32)
        target = _gguf_name(name)
        if quant_type is not None and data.ndim == 2 and target.startswith("blk."):
            writer.add_tensor(target, gguf.quants.quantize(data, quant_type), raw_dtype=quant_type)
        else:
            writer.add_tensor(target, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_tiny_gguf(path: Path, *, seed: int = 0, quantization: str | None = None) -> TinyGguf:
    """The 2-layer random Llama of ``llm_models`` (hidden 64; the 3,000-id byte-level BPE trained
    here, with the Llama-3 split, ``<|endoftext|>`` and an embedding padded to 3,072 rows; ChatML
    template) as ``path``."""
    import torch
    import transformers

    torch.manual_seed(seed)
    config = transformers.LlamaConfig(**{**_COMMON, "vocab_size": 3072}, rms_norm_eps=1e-5)
    model = transformers.AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
    write_llama_gguf(model, TOKENIZER, path, chat_template=CHATML, quantization=quantization)
    return TinyGguf(path, model)
