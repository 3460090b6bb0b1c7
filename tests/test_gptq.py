"""GPTQ weight rounding on tiny models: same int8 grid, less output error, reproducible."""

from __future__ import annotations

import pytest
import torch
from torch import nn


class _Correlated(nn.Module):
    """Regular, depthwise and pointwise convs and a linear head, as in mobile classifiers."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.body = nn.Sequential(
            nn.Conv2d(4, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU6(),
            nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.ReLU6(),
            nn.Conv2d(16, 24, 1), nn.ReLU6())
        self.head = nn.Linear(24, 10)
        with torch.no_grad():
            self.body[1].running_mean.uniform_(-0.2, 0.2)
            self.body[1].running_var.uniform_(0.5, 2.0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x).mean(dim=(2, 3)))


def _samples(count: int, seed: int) -> list[tuple[torch.Tensor]]:
    """Inputs whose channels are strongly correlated (images are): where GPTQ has work to do."""
    generator = torch.Generator().manual_seed(seed)
    mixing = torch.tensor([[1.0, 0.9, 0.8, 0.7], [0.9, 1.0, 0.9, 0.8],
                           [0.8, 0.9, 1.0, 0.9], [0.1, -0.2, 0.3, 1.0]])
    samples = []
    for _ in range(count):
        base = torch.randn(1, 4, 10, 10, generator=generator)
        samples.append((torch.einsum("oc,nchw->nohw", mixing, base),))
    return samples


def _int8_weights(converted: torch.fx.GraphModule) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(int8 weight, per-channel scale) of every per-channel dequantize in the converted graph."""
    found = []
    for node in converted.graph.nodes:
        if "dequantize_per_channel" in str(node.target) and node.args[0].op == "get_attr":
            found.append((getattr(converted, node.args[0].target),
                          getattr(converted, node.args[1].target)))
    return found


def _output_error(module: torch.nn.Module, reference: torch.nn.Module,
                  samples: list[tuple[torch.Tensor]]) -> float:
    with torch.no_grad():
        return float(sum(((module(*s) - reference(*s)) ** 2).mean() for s in samples) / len(samples))


@pytest.mark.parametrize("mode", ["int8", "int8_weight_only"])
def test_gptq_keeps_the_grid_and_lowers_the_output_error(mode: str) -> None:
    from sdkgen.compression.executorch import quantize_module

    model, example = _Correlated().eval(), (torch.zeros(1, 4, 10, 10),)
    calibration, held_out = _samples(24, seed=1), _samples(24, seed=2)
    nearest = quantize_module(model, example, calibration, mode=mode)
    measured: dict = {}
    gptq = quantize_module(model, example, calibration, mode=mode, weight_rounding="gptq",
                           measured=measured)
    rounding = measured["gptq"]
    layers = len(_int8_weights(nearest))
    assert layers >= 3 and rounding.layers == layers
    assert rounding.output_error_gptq < 0.8 * rounding.output_error_nearest
    # the same grid: the same per-channel scales, int8 values inside it, some of them moved
    moved = 0
    for (near_weight, near_scale), (gptq_weight, gptq_scale) in zip(
            _int8_weights(nearest), _int8_weights(gptq), strict=True):
        assert torch.equal(near_scale, gptq_scale)
        assert gptq_weight.dtype == torch.int8 and int(gptq_weight.abs().max()) <= 127
        moved += int((near_weight != gptq_weight).sum())
    assert moved > 0
    # and on inputs it was not fitted to, the whole quantized model is closer to float
    assert _output_error(gptq, model, held_out) < _output_error(nearest, model, held_out)
    assert rounding.to_json()["layers"] == layers


def test_gptq_rounding_is_reproducible() -> None:
    from sdkgen.compression.executorch import quantize_module

    model, example, calibration = _Correlated().eval(), (torch.zeros(1, 4, 10, 10),), _samples(8, 1)
    first, second = (quantize_module(model, example, calibration, mode="int8",
                                     weight_rounding="gptq") for _ in range(2))
    for (a, scale_a), (b, scale_b) in zip(_int8_weights(first), _int8_weights(second), strict=True):
        assert torch.equal(a, b) and torch.equal(scale_a, scale_b)


def test_gptq_without_calibration_is_refused() -> None:
    from sdkgen.compression.executorch import quantize_module
    from sdkgen.errors import ExportError

    with pytest.raises(ExportError, match="gptq weight rounding needs calibration"):
        quantize_module(_Correlated().eval(), (torch.zeros(1, 4, 10, 10),), [],
                        mode="int8_weight_only", weight_rounding="gptq")
