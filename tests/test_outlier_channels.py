"""Outlier channels in float beside XNNPACK's dynamically quantised linears
(``sdkgen/export/outlier_channels.py``, ``BlockOffsetLinear.take_outliers``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
from xnnpack_lowering import run_lowered  # noqa: E402

from sdkgen.export.outlier_channels import (  # noqa: E402
    float_columns,
    outlier_indices,
    split_outliers,
)

WIDTH, OUT = 128, 64


def test_the_widest_channels_are_chosen_in_order_and_at_most_a_quarter() -> None:
    ranges = torch.tensor([1.0, 9.0, 3.0, 9.0, 0.5, 7.0, 2.0, 1.0])
    assert outlier_indices(ranges, 2).tolist() == [1, 3]  # a tie: both, ascending
    assert outlier_indices(ranges, 1).tolist() == [1]  # a tie: the lower index
    assert outlier_indices(ranges, 64).tolist() == [1, 3]  # 8 channels: at most 2
    assert outlier_indices(ranges, 0).tolist() == []
    with pytest.raises(ValueError, match="not be negative"):
        outlier_indices(ranges, -1)


@pytest.mark.parametrize("bias", [False, True])
def test_a_split_linear_computes_the_linear_in_float(bias: bool) -> None:
    torch.manual_seed(0)
    holder = nn.Sequential(nn.Linear(12, 6, bias=bias))
    x = torch.randn(2, 5, 12)
    expected = holder(x)
    channels = {"0": outlier_indices(torch.rand(12) * torch.tensor([1.0] * 10 + [40.0, 90.0]), 2)}
    assert channels["0"].tolist() == [10, 11]
    weights = float_columns(holder, channels)
    assert split_outliers(holder, channels, weights) == 1
    torch.testing.assert_close(holder(x), expected, rtol=1e-5, atol=1e-5)
    assert split_outliers(holder, {"0": torch.zeros(0, dtype=torch.long)}, weights) == 0


def _q4_1_blocks(seed: int) -> SimpleNamespace:
    """Random Q4_1-like blocks (``w = scale·q + offset`` per block of 32, ``q`` in −8…7)."""
    generator = torch.Generator().manual_seed(seed)
    codes = torch.randint(-8, 8, (OUT, WIDTH), generator=generator, dtype=torch.int8)
    scales = torch.rand(OUT, WIDTH // 32, generator=generator) * 0.02 + 0.005
    offsets = (torch.rand(OUT, WIDTH // 32, generator=generator) - 0.5) * 0.05
    return SimpleNamespace(codes=codes, scales=scales, offsets=offsets, bits=4)


def _carried(blocks: SimpleNamespace) -> tuple[nn.Module, torch.Tensor]:
    from sdkgen.export.block_linears import carry_blocks, xnnpack_blocks

    codes, scales, offsets = xnnpack_blocks(blocks.codes, blocks.scales, blocks.offsets)
    exact = (torch.repeat_interleave(scales, 32, dim=1) * codes.float()
             + torch.repeat_interleave(offsets, 32, dim=1))
    model = nn.Sequential(nn.Linear(WIDTH, OUT, bias=False))
    model[0].weight = nn.Parameter(exact, requires_grad=False)
    model, counts = carry_blocks(model.eval(), {"0.weight": blocks})
    assert counts["with_offsets"] == 1
    return model, exact


def _outlier_input(rows: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    scale = torch.ones(WIDTH)
    scale[[3, 40, 77, 120]] = 60.0  # outlier channels, as RMSNorm-fed activations have
    return torch.randn(1, rows, WIDTH, generator=generator) * scale, scale


def test_outliers_of_a_q4_1_linear_join_its_offsets_and_bring_it_closer_to_float() -> None:
    """Carried Q4_1 blocks, eager (torchao's per-token int8 activations): the same weights, the
    four wide channels taken out of the int8 product, the error against float falls."""
    model, exact = _carried(_q4_1_blocks(0))
    x, scale = _outlier_input(9, 1)
    reference = nn.functional.linear(x, exact)
    with torch.no_grad():
        before = float((model(x) - reference).abs().max())
        blocks_linear = model[0]
        matmuls = [m for m in blocks_linear.modules() if isinstance(m, nn.Linear)]
        assert split_outliers(model, {"0": outlier_indices(scale, 4)}, {"0": exact}) == 1
        assert model[0] is blocks_linear  # joined, not wrapped: one more (small) product
        assert len([m for m in model[0].modules() if isinstance(m, nn.Linear)]) == len(matmuls) + 1
        assert model[0].offsets.weight.shape == (OUT, WIDTH // 32 + 4)
        after = float((model(x) - reference).abs().max())
    assert after < before / 4, (before, after)


@pytest.mark.slow
@pytest.mark.parametrize("carried", [True, False], ids=["q4_1-blocks", "8da4w"])
def test_xnnpack_runs_the_split_inside_the_delegate_closer_to_float(carried: bool,
                                                                    tmp_path) -> None:
    """Exported with a dynamic token count and lowered with sdkgen's partitioner: nothing leaves
    the delegate, and the ExecuTorch runtime's result is closer to float with the split."""
    from torchao.quantization import Int8DynamicActivationIntxWeightConfig, quantize_
    from torchao.quantization.granularity import PerGroup

    x, scale = _outlier_input(9, 2)
    errors = {}
    for count in (0, 4):
        if carried:
            model, exact = _carried(_q4_1_blocks(3))
        else:
            torch.manual_seed(1)
            model = nn.Sequential(nn.Linear(WIDTH, OUT, bias=False)).eval()
            exact = model[0].weight.detach().clone()
            quantize_(model, Int8DynamicActivationIntxWeightConfig(
                weight_dtype=torch.int4, weight_granularity=PerGroup(32)))
        with torch.no_grad():
            reference = nn.functional.linear(x, exact)
        if count:
            split_outliers(model, {"0": outlier_indices(scale, count)}, {"0": exact})
        result = run_lowered(model, x, tmp_path / f"outliers{count}.pte")
        errors[count] = float((result - reference).abs().max() / reference.abs().max())
    assert errors[4] < errors[0] / 4, errors
