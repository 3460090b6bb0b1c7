"""Activation groups: each linear's input split into channel groups of similar range, one int8
scale per group and token inside one XNNPACK linear (``sdkgen/export/activation_groups.py``)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from torch import nn
from xnnpack_lowering import run_lowered

from sdkgen.errors import SdkgenError
from sdkgen.export.activation_groups import channel_groups, group_activations
from sdkgen.llm.calibration import calibration_tokens


def _cost(ranges: np.ndarray, masks: torch.Tensor) -> float:
    return sum(float(m.sum()) * float((ranges * m.numpy()).max()) ** 2 for m in masks)


def _best_cost(ranges: np.ndarray, groups: int) -> float:
    """Every split of the sorted channels into at most ``groups`` runs."""
    squares = np.sort(ranges)[::-1] ** 2
    n = len(squares)
    best = np.inf
    for cuts in range(groups):
        for bounds in itertools.combinations(range(1, n), cuts):
            edges = (0, *bounds, n)
            best = min(best, sum((j - i) * squares[i] for i, j in itertools.pairwise(edges)))
    return float(best)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("groups", [1, 2, 3, 4])
def test_channel_groups_partition_the_channels_at_the_least_cost(seed: int, groups: int) -> None:
    rng = np.random.default_rng(seed)
    ranges = np.exp(rng.normal(0, 1.5, 9))  # a few channels far above the rest
    masks = channel_groups(torch.tensor(ranges), groups)
    assert masks.shape[1] == 9 and 1 <= len(masks) <= groups
    assert torch.equal(masks.sum(0), torch.ones(9))  # every channel in exactly one group
    assert bool((masks.sum(1) > 0).all())
    assert _cost(ranges, masks) == pytest.approx(_best_cost(ranges, groups), rel=1e-12)


def test_equal_ranges_make_one_group_and_bad_counts_are_refused() -> None:
    assert channel_groups(torch.ones(16), 4).shape == (1, 16)
    assert channel_groups(torch.tensor([3.0, 1.0]), 8).shape[0] == 2  # no more groups than channels
    with pytest.raises(ValueError, match="at least 1"):
        channel_groups(torch.ones(4), 0)


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("shape", [(5, 12), (1, 7, 12)])
def test_a_grouped_linear_computes_the_linear_in_float(bias: bool, shape: tuple[int, ...]) -> None:
    torch.manual_seed(0)
    holder = nn.Sequential(nn.Linear(12, 6, bias=bias))
    x = torch.randn(*shape)
    expected = holder(x)
    masks = channel_groups(torch.rand(12) * torch.tensor([1.0] * 10 + [40.0, 90.0]), 3)
    assert group_activations(holder, {"0": masks}) == 1
    torch.testing.assert_close(holder(x), expected, rtol=1e-5, atol=1e-5)
    assert group_activations(holder, {"0": masks[:1]}) == 0  # one group: nothing to wrap


def _dynamically_quantised(in_features: int, out_features: int) -> nn.Module:
    from torchao.quantization import Int8DynamicActivationIntxWeightConfig, quantize_
    from torchao.quantization.granularity import PerGroup

    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(in_features, out_features, bias=False)).eval()
    quantize_(model, Int8DynamicActivationIntxWeightConfig(weight_dtype=torch.int4,
                                                           weight_granularity=PerGroup(32)))
    return model


@pytest.mark.slow
def test_xnnpack_gives_each_group_its_own_scale_inside_the_delegate(tmp_path) -> None:
    """A 4-bit linear whose input has a few large channels, exported with a dynamic token count
    and lowered with the LLM export's partitioners: with groups nothing leaves the delegate, and
    the ExecuTorch runtime's result is closer to float than with one scale."""
    width = 256
    scale = torch.ones(width)
    scale[:4] = 60.0  # outlier channels, as RMSNorm-fed activations have
    calibration = torch.randn(64, width) * scale
    masks = channel_groups(calibration.abs().amax(0), 4)
    x = torch.randn(1, 9, width) * scale
    errors = {}
    for groups in (1, 4):
        model = _dynamically_quantised(width, 128)
        with torch.no_grad():
            exact = nn.functional.linear(x, model[0].weight.dequantize())
        if groups > 1:
            group_activations(model, {"0": masks})
        result = run_lowered(model, x, tmp_path / f"groups{groups}.pte")
        errors[groups] = float((result - exact).abs().max() / exact.abs().max())
    assert errors[4] < errors[1] / 4, errors


def test_calibration_needs_tokens_after_the_scored_ones() -> None:
    assert calibration_tokens(list(range(100)), 60, 30) == list(range(60, 90))
    with pytest.raises(SdkgenError, match=r"calibration_tokens.*100 tokens, 60 are scored.*40 "
                                          r"are left"):
        calibration_tokens(list(range(100)), 60, 64)
