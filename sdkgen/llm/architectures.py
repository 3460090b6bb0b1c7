"""Which decoder families sdkgen exports, and how each maps onto ExecuTorch's llama Transformer.

ExecuTorch's own LLM export (``executorch.examples.models.llama``) is the route whose ``.pte`` its
C++ runner and Android's ``LlmModule`` read, and the fastest (see FACTS.md). Its ``Transformer``
expresses RMSNorm, rotary embeddings in Hugging Face's layout (``use_hf_rope``), grouped-query
attention with optional q/k/v bias and q/k RMSNorm, and a SiLU-gated feed-forward. A family whose
Hugging Face model is exactly that is listed here with its weight-name map and its
``ModelArgs``; anything else is refused by name (a GELU feed-forward, scaled embeddings, sliding
windows, rope scaling, ...), never approximated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sdkgen.errors import SpecError

# Hugging Face parameter name → ExecuTorch llama Transformer name ("{}" is the layer index)
_LLAMA_WEIGHTS: Mapping[str, str] = {
    "model.embed_tokens.weight": "tok_embeddings.weight",
    "model.norm.weight": "norm.weight",
    "lm_head.weight": "output.weight",
    "model.layers.{}.self_attn.q_proj.weight": "layers.{}.attention.wq.weight",
    "model.layers.{}.self_attn.k_proj.weight": "layers.{}.attention.wk.weight",
    "model.layers.{}.self_attn.v_proj.weight": "layers.{}.attention.wv.weight",
    "model.layers.{}.self_attn.o_proj.weight": "layers.{}.attention.wo.weight",
    "model.layers.{}.input_layernorm.weight": "layers.{}.attention_norm.weight",
    "model.layers.{}.post_attention_layernorm.weight": "layers.{}.ffn_norm.weight",
    "model.layers.{}.mlp.gate_proj.weight": "layers.{}.feed_forward.w1.weight",
    "model.layers.{}.mlp.down_proj.weight": "layers.{}.feed_forward.w2.weight",
    "model.layers.{}.mlp.up_proj.weight": "layers.{}.feed_forward.w3.weight",
}
_QKV_BIAS: Mapping[str, str] = {
    "model.layers.{}.self_attn.q_proj.bias": "layers.{}.attention.wq.bias",
    "model.layers.{}.self_attn.k_proj.bias": "layers.{}.attention.wk.bias",
    "model.layers.{}.self_attn.v_proj.bias": "layers.{}.attention.wv.bias",
}
_QK_NORM: Mapping[str, str] = {
    "model.layers.{}.self_attn.q_norm.weight": "layers.{}.attention.q_norm_fn.weight",
    "model.layers.{}.self_attn.k_norm.weight": "layers.{}.attention.k_norm_fn.weight",
}

# Families ExecuTorch's llama Transformer cannot express, and why (shown when refusing them).
NOT_EXPRESSIBLE: Mapping[str, str] = {
    "gemma": "GELU feed-forward and embeddings scaled by sqrt(hidden size)",
    "gemma2": "GELU feed-forward, logit soft-capping and sliding-window layers",
    "gemma3_text": "GELU feed-forward, sliding-window layers and two rope bases",
    "phi": "LayerNorm, parallel attention/MLP and partial rotary embeddings",
    "gpt2": "LayerNorm, learned positions and a GELU MLP",
    "gpt_neox": "LayerNorm and parallel attention/MLP",
    "falcon": "LayerNorm and parallel attention/MLP",
    "stablelm": "LayerNorm and partial rotary embeddings",
    "mixtral": "mixture-of-experts feed-forward",
    "qwen2_moe": "mixture-of-experts feed-forward",
    "qwen3_moe": "mixture-of-experts feed-forward",
}


@dataclass(frozen=True)
class Architecture:
    model_type: str  # config.json's model_type
    family: str  # for reports and messages
    weights: Mapping[str, str]  # Hugging Face → ExecuTorch parameter names
    model_args: Callable[[Mapping[str, Any]], dict[str, Any]]  # config → extra ModelArgs fields
    split: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]] | None = None


def _rope_theta(config: Mapping[str, Any]) -> float:
    parameters = config.get("rope_parameters") or {}
    theta = parameters.get("rope_theta", config.get("rope_theta", 10000.0))
    return float(theta)


def _no_qkv_bias(config: Mapping[str, Any]) -> dict[str, Any]:
    if config.get("attention_bias") or config.get("mlp_bias"):
        raise _refuse(config, "biases on the attention output or MLP projections")
    return {}


def _qwen2(config: Mapping[str, Any]) -> dict[str, Any]:
    if config.get("use_sliding_window"):
        raise _refuse(config, "sliding-window attention (use_sliding_window: true)")
    return {"attention_qkv_bias": True}


def _qwen3(config: Mapping[str, Any]) -> dict[str, Any]:
    if config.get("use_sliding_window"):
        raise _refuse(config, "sliding-window attention (use_sliding_window: true)")
    if config.get("attention_bias"):
        raise _refuse(config, "q/k/v biases together with q/k norms")
    return {"use_qk_norm": True, "qk_norm_before_rope": True}


def _mistral(config: Mapping[str, Any]) -> dict[str, Any]:
    window = config.get("sliding_window")
    positions = int(config.get("max_position_embeddings") or 0)
    if window is not None and int(window) < positions:
        raise _refuse(config, f"sliding-window attention (sliding_window: {window})")
    return {}


def _split_phi3(state: dict[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """Phi-3 fuses q/k/v and gate/up: split them into the separate projections."""
    import torch

    heads = int(config["num_attention_heads"])
    kv_heads = int(config.get("num_key_value_heads") or heads)
    head_dim = int(config.get("head_dim") or int(config["hidden_size"]) // heads)
    out: dict[str, Any] = {}
    for name, value in state.items():
        if name.endswith("self_attn.qkv_proj.weight"):
            prefix = name.removesuffix("qkv_proj.weight")
            q, k, v = torch.split(value, [heads * head_dim, kv_heads * head_dim,
                                          kv_heads * head_dim], dim=0)
            out[prefix + "q_proj.weight"], out[prefix + "k_proj.weight"] = q, k
            out[prefix + "v_proj.weight"] = v
        elif name.endswith("mlp.gate_up_proj.weight"):
            prefix = name.removesuffix("gate_up_proj.weight")
            gate, up = torch.chunk(value, 2, dim=0)
            out[prefix + "gate_proj.weight"], out[prefix + "up_proj.weight"] = gate, up
        else:
            out[name] = value
    return out


def _phi3(config: Mapping[str, Any]) -> dict[str, Any]:
    if float(config.get("partial_rotary_factor") or 1.0) != 1.0:
        raise _refuse(config, "partial rotary embeddings")
    window = config.get("sliding_window")
    positions = int(config.get("max_position_embeddings") or 0)
    if window is not None and int(window) < positions:
        raise _refuse(config, f"sliding-window attention (sliding_window: {window})")
    return {}


ARCHITECTURES: Mapping[str, Architecture] = {
    a.model_type: a for a in (
        Architecture("llama", "Llama (SmolLM, TinyLlama, Llama 2/3 without rope scaling)",
                     _LLAMA_WEIGHTS, _no_qkv_bias),
        Architecture("mistral", "Mistral (no sliding window)", _LLAMA_WEIGHTS, _mistral),
        Architecture("qwen2", "Qwen2 / Qwen2.5 (q/k/v bias)", {**_LLAMA_WEIGHTS, **_QKV_BIAS},
                     _qwen2),
        Architecture("qwen3", "Qwen3 (q/k RMSNorm before rope)", {**_LLAMA_WEIGHTS, **_QK_NORM},
                     _qwen3),
        Architecture("phi3", "Phi-3 / Phi-4-mini (fused q/k/v and gate/up, split here)",
                     _LLAMA_WEIGHTS, _phi3, split=_split_phi3),
    )
}


def supported_list() -> str:
    return ", ".join(sorted(ARCHITECTURES))


def _refuse(config: Mapping[str, Any], feature: str) -> SpecError:
    model_type = config.get("model_type", "?")
    return SpecError(
        f"this {model_type} model uses {feature}, which ExecuTorch's llama Transformer (the "
        "runner-compatible export) cannot express",
        field="generation.source",
        hint=f"sdkgen exports these decoder families: {supported_list()}",
    )


def architecture_for(model_type: str) -> Architecture:
    """The family of ``model_type``, or a SpecError naming why it cannot be exported."""
    if model_type in ARCHITECTURES:
        return ARCHITECTURES[model_type]
    why = NOT_EXPRESSIBLE.get(model_type)
    reason = (f": it has {why}, which ExecuTorch's llama Transformer (the runner-compatible "
              "export) cannot express") if why else ""
    raise SpecError(
        f"sdkgen cannot export the architecture {model_type!r}{reason}",
        field="generation.architecture",
        hint=f"architectures that export: {supported_list()}",
    )


def check_rope(config: Mapping[str, Any]) -> None:
    """Only plain rotary embeddings are mapped (no llama3/yarn/longrope scaling)."""
    parameters = config.get("rope_parameters") or {}
    scaling = config.get("rope_scaling") or {}
    kind = parameters.get("rope_type") or scaling.get("rope_type") or scaling.get("type")
    if kind not in (None, "default"):
        raise _refuse(config, f"rope scaling of type {kind!r}")


def model_args(config: Mapping[str, Any], context_length: int) -> dict[str, Any]:
    """ExecuTorch ``ModelArgs`` fields of a Hugging Face ``config.json`` (a KV-cache export)."""
    architecture = architecture_for(str(config.get("model_type")))
    check_rope(config)
    if config.get("hidden_act", "silu") != "silu":
        raise _refuse(config, f"the activation {config.get('hidden_act')!r} (not SiLU)")
    heads = int(config["num_attention_heads"])
    arguments: dict[str, Any] = {
        "dim": int(config["hidden_size"]),
        "n_layers": int(config["num_hidden_layers"]),
        "n_heads": heads,
        "n_kv_heads": int(config.get("num_key_value_heads") or heads),
        "vocab_size": int(config["vocab_size"]),
        "hidden_dim": int(config["intermediate_size"]),
        "head_dim": int(config.get("head_dim") or int(config["hidden_size"]) // heads),
        "norm_eps": float(config.get("rms_norm_eps", 1e-6)),
        "rope_theta": _rope_theta(config),
        "use_hf_rope": True,
        "max_seq_len": context_length,
        "max_context_len": context_length,
        "max_batch_size": 1,
    }
    arguments.update(architecture.model_args(config))
    return arguments


def executorch_state_dict(state: Mapping[str, Any], config: Mapping[str, Any]) -> dict[str, Any]:
    """The Hugging Face ``state`` renamed for ExecuTorch's Transformer (untied output weight)."""
    import re

    architecture = architecture_for(str(config.get("model_type")))
    source = dict(state)
    if architecture.split is not None:
        source = architecture.split(source, config)
    patterns = [(re.compile("^" + re.escape(hf).replace(r"\{\}", r"(\d+)") + "$"), et)
                for hf, et in architecture.weights.items()]
    converted: dict[str, Any] = {}
    unknown: list[str] = []
    for name, value in source.items():
        if name.endswith("rotary_emb.inv_freq"):
            continue
        for pattern, target in patterns:
            match = pattern.match(name)
            if match:
                converted[target.replace("{}", match.group(1)) if match.groups() else target] = value
                break
        else:
            unknown.append(name)
    if unknown:
        raise SpecError(
            f"the {config.get('model_type')} weights hold parameters sdkgen does not map: "
            f"{', '.join(sorted(unknown)[:5])}",
            field="generation.source",
            hint="the model has parts the exported Transformer lacks; it cannot be exported as is",
        )
    if "output.weight" not in converted and "tok_embeddings.weight" in converted:  # tied
        converted["output.weight"] = converted["tok_embeddings.weight"]
    return converted
