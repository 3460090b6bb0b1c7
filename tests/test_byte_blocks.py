"""GGUF ``Q8_0`` blocks carried as two 4-bit halves (``sdkgen/export/block_linears.py``): the
file's weights within bfloat16 rounding, closer than 8-bit per-channel re-quantisation, run inside
the XNNPACK delegate."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
from xnnpack_lowering import run_lowered  # noqa: E402

from sdkgen.export.block_linears import (  # noqa: E402
    BLOCK,
    byte_codes_as_nibbles,
    carry_blocks,
)

WIDTH, OUT = 128, 64


def test_every_byte_code_is_sixteen_high_plus_low_plus_eight() -> None:
    codes = torch.arange(-128, 128, dtype=torch.int16).to(torch.int8)
    high, low = byte_codes_as_nibbles(codes)
    for nibble in (high, low):
        assert nibble.dtype == torch.int8
        assert int(nibble.min()) == -8 and int(nibble.max()) == 7
    assert torch.equal(16 * high.to(torch.int16) + low.to(torch.int16) + 8,
                       codes.to(torch.int16))


def _q8_0_blocks(seed: int) -> tuple[SimpleNamespace, torch.Tensor]:
    """Q8_0-like blocks whose scales differ a lot along a row (as an embedding table's do), and
    their float weights ``w = d·q``."""
    generator = torch.Generator().manual_seed(seed)
    spread = torch.logspace(-1, 1, WIDTH // BLOCK)
    weights = torch.randn(OUT, WIDTH, generator=generator) * torch.repeat_interleave(spread, BLOCK)
    scales = (weights.reshape(OUT, -1, BLOCK).abs().amax(-1) / 127).half().float()
    codes = torch.round(weights / torch.repeat_interleave(scales, BLOCK, dim=1)).clamp(-127, 127)
    exact = torch.repeat_interleave(scales, BLOCK, dim=1) * codes
    return SimpleNamespace(codes=codes.to(torch.int8), scales=scales, offsets=None, bits=8), exact


def _linear(weight: torch.Tensor, blocks: dict[str, SimpleNamespace]) -> tuple[nn.Module, dict]:
    model = nn.Sequential(nn.Linear(WIDTH, OUT, bias=False))
    model[0].weight = nn.Parameter(weight.clone(), requires_grad=False)
    return carry_blocks(model.eval(), blocks)


def _effective_weight(model: nn.Module) -> torch.Tensor:
    """The weights the module multiplies by: one-hot rows quantise to int8 exactly."""
    with torch.no_grad():
        return model(torch.eye(WIDTH)[None])[0].T


def test_carried_halves_keep_the_files_weights_far_closer_than_per_channel_bytes() -> None:
    blocks, exact = _q8_0_blocks(0)
    carried, counts = _linear(exact, {"0.weight": blocks})
    assert counts == {"four_bit_blocks": 0, "with_offsets": 0, "eight_bit_blocks": 1,
                      "eight_bit_per_channel": 0}
    assert carried[0].low is not None  # the two 4-bit halves
    requantised, counts = _linear(exact, {})
    assert counts["eight_bit_per_channel"] == 1

    step = torch.repeat_interleave(blocks.scales, BLOCK, dim=1)
    carried_error = (_effective_weight(carried) - exact).abs() / step
    requantised_error = (_effective_weight(requantised) - exact).abs() / step
    # bfloat16 scales: |d - d_bf16| ≤ 2^-9·d, times |q - mean q| ≤ 255
    assert float(carried_error.max()) <= 255 / 512 + 1e-3
    assert float(carried_error.mean()) * 5 < float(requantised_error.mean())


@pytest.mark.slow
def test_xnnpack_runs_the_halves_inside_the_delegate_as_in_eager(tmp_path) -> None:
    """Lowered with a dynamic token count: nothing leaves the delegate, the runtime computes
    what the eager module computes, and it is closer to float than per-channel 8 bits; with
    outlier channels too (they join the offsets, as on a Q4_1 linear)."""
    from sdkgen.export.outlier_channels import outlier_indices, split_outliers

    blocks, exact = _q8_0_blocks(1)
    generator = torch.Generator().manual_seed(2)
    scale = torch.ones(WIDTH)
    scale[[5, 70]] = 40.0
    x = torch.randn(1, 7, WIDTH, generator=generator) * scale
    reference = nn.functional.linear(x, exact)
    errors = {}
    for label, table in (("halves", {"0.weight": blocks}), ("per-channel", {})):
        model, _ = _linear(exact, table)
        with torch.no_grad():
            eager = model(x)
        result = run_lowered(model, x, tmp_path / f"{label}.pte")
        torch.testing.assert_close(result, eager, rtol=0, atol=1e-3 * float(eager.abs().max()))
        errors[label] = float((result - reference).abs().max())
    assert errors["halves"] < errors["per-channel"], errors

    model, _ = _linear(exact, {"0.weight": blocks})
    assert split_outliers(model, {"0": outlier_indices(scale, 2)}, {"0": exact}) == 1
    assert model[0].offsets.weight.shape == (OUT, WIDTH // BLOCK + 2)
    result = run_lowered(model, x, tmp_path / "halves-outliers.pte")
    assert float((result - reference).abs().max()) < errors["halves"] / 4, errors
