"""The architecture table: which Hugging Face configs map onto ExecuTorch's llama Transformer."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sdkgen.errors import SpecError
from sdkgen.llm import architectures

LLAMA = {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4,
         "num_key_value_heads": 2, "num_hidden_layers": 2, "intermediate_size": 128,
         "vocab_size": 100, "rms_norm_eps": 1e-5, "rope_parameters": {"rope_theta": 5e5,
                                                                     "rope_type": "default"}}


def test_llama_arguments() -> None:
    arguments = architectures.model_args(LLAMA, 64)
    assert arguments == {
        "dim": 64, "n_layers": 2, "n_heads": 4, "n_kv_heads": 2, "vocab_size": 100,
        "hidden_dim": 128, "head_dim": 16, "norm_eps": 1e-5, "rope_theta": 5e5,
        "use_hf_rope": True, "max_seq_len": 64, "max_context_len": 64, "max_batch_size": 1,
    }


def test_family_flags() -> None:
    assert architectures.model_args({**LLAMA, "model_type": "qwen2"}, 8)["attention_qkv_bias"]
    qwen3 = architectures.model_args({**LLAMA, "model_type": "qwen3"}, 8)
    assert qwen3["use_qk_norm"] and qwen3["qk_norm_before_rope"]


@pytest.mark.parametrize(("config", "message"), [
    ({**LLAMA, "rope_parameters": {"rope_type": "llama3", "factor": 8.0}},
     "rope scaling of type 'llama3'"),
    ({**LLAMA, "model_type": "mistral", "sliding_window": 16, "max_position_embeddings": 64},
     "sliding-window attention (sliding_window: 16)"),
    ({**LLAMA, "model_type": "qwen2", "use_sliding_window": True},
     "sliding-window attention (use_sliding_window: true)"),
    ({**LLAMA, "hidden_act": "gelu"}, "the activation 'gelu' (not SiLU)"),
    ({**LLAMA, "attention_bias": True}, "biases on the attention output or MLP projections"),
])
def test_features_the_transformer_cannot_express_are_refused(config: dict, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        architectures.model_args(config, 64)
    assert message in caught.value.message
    assert caught.value.hint == "sdkgen exports these decoder families: " + \
        "llama, mistral, phi3, qwen2, qwen3"


def test_unknown_architecture_is_named() -> None:
    with pytest.raises(SpecError, match=r"cannot export the architecture 'mamba'"):
        architectures.architecture_for("mamba")


def test_weights_are_renamed_and_tied_output_shared() -> None:
    state = {"model.embed_tokens.weight": torch.zeros(100, 64),
             "model.layers.1.self_attn.q_proj.weight": torch.ones(64, 64),
             "model.norm.weight": torch.ones(64)}
    converted = architectures.executorch_state_dict(state, LLAMA)
    assert sorted(converted) == ["layers.1.attention.wq.weight", "norm.weight", "output.weight",
                                 "tok_embeddings.weight"]
    assert converted["output.weight"] is converted["tok_embeddings.weight"]
    with pytest.raises(SpecError, match=r"parameters sdkgen does not map: model\.extra"):
        architectures.executorch_state_dict({**state, "model.extra.weight": torch.ones(1)}, LLAMA)


def test_phi3_fused_projections_are_split() -> None:
    config = {**LLAMA, "model_type": "phi3"}
    qkv = torch.arange(128 * 64, dtype=torch.float32).reshape(128, 64)  # q 64 + k 32 + v 32 rows
    gate_up = torch.arange(256 * 64, dtype=torch.float32).reshape(256, 64)
    converted = architectures.executorch_state_dict({
        "model.embed_tokens.weight": torch.zeros(100, 64),
        "model.layers.0.self_attn.qkv_proj.weight": qkv,
        "model.layers.0.mlp.gate_up_proj.weight": gate_up}, config)
    assert torch.equal(converted["layers.0.attention.wq.weight"], qkv[:64])
    assert torch.equal(converted["layers.0.attention.wk.weight"], qkv[64:96])
    assert torch.equal(converted["layers.0.attention.wv.weight"], qkv[96:])
    assert torch.equal(converted["layers.0.feed_forward.w1.weight"], gate_up[:128])
    assert torch.equal(converted["layers.0.feed_forward.w3.weight"], gate_up[128:])


class _TransformerDecoder:
    """ExecuTorch's llama Transformer in plain PyTorch (its own KV cache), as a greedy decoder."""

    def __init__(self, model: object) -> None:
        self.model = model

    def reset(self) -> None:
        for module in self.model.modules():  # type: ignore[attr-defined]
            for name in ("k_cache", "v_cache"):
                if hasattr(module, name):
                    getattr(module, name).zero_()

    def step(self, tokens: list[int], position: int) -> object:
        with torch.no_grad():
            logits = self.model(torch.tensor([list(tokens)]),  # type: ignore[operator]
                                {"input_pos": torch.tensor([position])})
        return logits[0].numpy()


@pytest.mark.parametrize("family", ["llama", "qwen2", "qwen3", "phi3"])
def test_mapped_weights_reproduce_eager_in_both_export_modules(family: str, tmp_path) -> None:
    """The weight map and ModelArgs of each family: ExecuTorch's Transformer (the .pte's source)
    and the stateful Core ML module give eager's greedy ids, before any export."""
    import json

    from llm_models import save_tiny_model
    from transformers import AutoModelForCausalLM

    from sdkgen.export.coreml_llm import ModuleDecoder, stateful_decoder
    from sdkgen.export.executorch_llm import build_transformer
    from sdkgen.llm.evaluate import EagerDecoder, greedy

    folder = save_tiny_model(family, tmp_path / family)
    config = json.loads((folder / "config.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
    arguments = architectures.model_args(config, 32)
    state = architectures.executorch_state_dict(model.state_dict(), config)
    prompt = [5, 17, 300, 42, 7, 99]
    expected, first = greedy(EagerDecoder(model), prompt, 10)
    transformer = _TransformerDecoder(build_transformer(arguments, state, export_ready=False))
    stateful = ModuleDecoder(stateful_decoder(arguments, state, dtype=torch.float32,
                                              cache_dtype=torch.float32))
    for decoder in (transformer, stateful):
        produced, logits = greedy(decoder, prompt, 10)
        assert produced == expected
        assert float(abs(logits - first).max()) < 1e-4


def test_the_core_ml_module_holds_a_residual_stream_beyond_float16_squares(tmp_path) -> None:
    """float16 is Core ML's compute precision; a residual stream past |x| = 256 (SmolLM2 reaches
    478) overflows ``x * x`` in a plain RMSNorm. With the embeddings scaled 1000× (RMSNorm makes
    that the same model up to the residual's growth), the float16 module keeps float32's tokens."""
    import json

    from llm_models import save_tiny_model
    from transformers import AutoModelForCausalLM

    from sdkgen.export.coreml_llm import ModuleDecoder, stateful_decoder
    from sdkgen.llm.evaluate import greedy

    folder = save_tiny_model("llama", tmp_path / "llama")
    config = json.loads((folder / "config.json").read_text())
    model = AutoModelForCausalLM.from_pretrained(str(folder), dtype=torch.float32).eval()
    state = architectures.executorch_state_dict(model.state_dict(), config)
    state["tok_embeddings.weight"] = state["tok_embeddings.weight"] * 1000.0
    assert float(state["tok_embeddings.weight"].abs().max()) > 256
    arguments = architectures.model_args(config, 32)
    prompt = [5, 17, 300, 42, 7, 99]
    expected, first = greedy(ModuleDecoder(stateful_decoder(arguments, state)), prompt, 10)
    half = ModuleDecoder(stateful_decoder(arguments, state, dtype=torch.float16))
    produced, logits = greedy(half, prompt, 10)
    assert np.isfinite(logits).all()
    assert produced == expected
    assert float(abs(logits - first).max()) < 0.05 * float(abs(first).max())
