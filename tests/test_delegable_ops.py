"""RMSNorm and rotary embeddings in operators XNNPACK delegates (``sdkgen/export/delegable_ops.py``):
the same functions as ExecuTorch's, and nothing of them left outside the delegate."""

from __future__ import annotations

import copy

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("executorch")

from sdkgen.export.delegable_ops import make_delegable, rotate_half_matrix  # noqa: E402


@pytest.mark.parametrize("rotary_dim", [16, 8])
def test_the_rotation_matrix_is_rotate_half_on_the_rotary_channels(rotary_dim: int) -> None:
    from executorch.examples.models.llama.rope import rotate_half

    x = torch.randn(3, 5, 16)
    rotated = x @ rotate_half_matrix(rotary_dim, 16)
    assert torch.equal(rotated[..., :rotary_dim], rotate_half(x[..., :rotary_dim]))
    assert torch.equal(rotated[..., rotary_dim:], torch.zeros_like(x[..., rotary_dim:]))


def _tiny_transformer(partial_rotary_factor: float, qk_norm: bool) -> torch.nn.Module:
    from executorch.examples.models.llama.llama_transformer import construct_transformer
    from executorch.examples.models.llama.model_args import ModelArgs

    torch.manual_seed(0)
    arguments = ModelArgs(dim=64, n_layers=2, n_heads=4, n_kv_heads=2, head_dim=16,
                          hidden_dim=128, vocab_size=50, max_seq_len=32, max_context_len=32,
                          use_hf_rope=True, partial_rotary_factor=partial_rotary_factor,
                          norm_eps=1e-5, use_qk_norm=qk_norm, qk_norm_before_rope=True,
                          use_kv_cache=True, enable_dynamic_shape=True,
                          generate_full_logits=True)
    model = construct_transformer(arguments).eval()
    for parameter in model.parameters():
        parameter.data = torch.randn_like(parameter) * 0.5
    return model


@pytest.mark.parametrize(("partial_rotary_factor", "qk_norm", "norms"),
                         [(1.0, False, 2 * 2 + 1), (0.5, True, 2 * 4 + 1)],
                         ids=["llama", "partial-rotary-qk-norm"])
def test_the_swapped_model_computes_the_same_logits(partial_rotary_factor: float, qk_norm: bool,
                                                    norms: int) -> None:
    original = _tiny_transformer(partial_rotary_factor, qk_norm)
    swapped = copy.deepcopy(original)
    assert make_delegable(swapped) == {"norms": norms, "rotary": 1}
    assert make_delegable(swapped) == {"norms": 0, "rotary": 0}  # nothing left to swap
    tokens = torch.randint(0, 50, (1, 7), generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        expected = original(tokens, {"input_pos": torch.tensor([0])})
        result = swapped(tokens, {"input_pos": torch.tensor([0])})
    # only the mean square's rounding differs (a dot product instead of a mean)
    torch.testing.assert_close(result, expected, rtol=0, atol=1e-5 * float(expected.abs().max()))
