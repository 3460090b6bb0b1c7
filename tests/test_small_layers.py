"""Dynamic int8 keeps float the linears and 1×1 convs too small for it to pay, chosen by shape."""

from __future__ import annotations

import torch
from torch import nn

from sdkgen.compression.small_layers import row_macs, small_layers


class _Net(nn.Module):
    """One op of each kind: only linears and 1×1 single-group convs have a row size."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.stem = nn.Conv2d(3, 8, 3, padding=1)  # 3x3: indirect GEMM, not counted
        self.depthwise = nn.Conv2d(8, 8, 3, padding=1, groups=8)  # no dynamic kernel: not counted
        self.narrow = nn.Conv2d(8, 16, 1)  # 128 multiply-adds per pixel
        self.grouped = nn.Conv2d(16, 16, 1, groups=2)  # grouped: not counted
        self.wide = nn.Conv2d(16, 64, 1)  # 1,024 per pixel
        self.head = nn.Sequential(nn.Linear(64, 10))  # 640 per row

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.wide(self.grouped(self.narrow(torch.relu(self.depthwise(self.stem(x))))))
        return self.head(y.mean(dim=(2, 3)))


def _captured() -> torch.fx.GraphModule:
    return torch.export.export(_Net().eval(), (torch.zeros(1, 3, 8, 8),), strict=False).module()


def _float_weight_layers(converted: torch.fx.GraphModule) -> set[str]:
    """Convs/linears whose weight reaches them without a dequantize (i.e. stayed float)."""
    kept = set()
    for node in converted.graph.nodes:
        if node.target in (torch.ops.aten.conv2d.default, torch.ops.aten.linear.default):
            weight = node.args[1]
            if "dequantize" not in str(weight.target):
                kept.add(list(node.meta["nn_module_stack"].values())[-1][0])
    return kept


def test_row_size_counts_only_gemm_shaped_layers() -> None:
    captured = _captured()
    sizes = {node.name: row_macs(node) for node in captured.graph.nodes}
    counted = sorted(size for size in sizes.values() if size is not None)
    assert counted == [128, 640, 1024]


def test_layers_below_the_threshold_are_listed_in_graph_order_with_their_size() -> None:
    found, names = small_layers(_captured(), 1000)
    assert found.layers == ["narrow", "head.0"]
    assert found.macs == [128, 640]
    assert found.to_json() == {"min_macs": 1000, "layers": ["narrow", "head.0"], "macs": [128, 640]}
    assert len(names) == 2
    nothing, none = small_layers(_captured(), 128)  # strictly fewer
    assert nothing.layers == [] and not none


def test_dynamic_int8_keeps_the_small_layers_float_and_quantizes_the_rest() -> None:
    from sdkgen.compression.executorch import quantize_module

    example = (torch.zeros(1, 3, 8, 8),)
    measured: dict = {}
    converted = quantize_module(_Net().eval(), example, [], mode="int8_weight_only",
                                dynamic_min_macs=1000, measured=measured)
    # XNNPACK's dynamic quantizer leaves depthwise convs float by itself (no dynamic kernel)
    assert _float_weight_layers(converted) == {"depthwise", "narrow", "head.0"}
    assert measured["small_layers"].layers == ["narrow", "head.0"]
    everything = quantize_module(_Net().eval(), example, [], mode="int8_weight_only")
    assert _float_weight_layers(everything) == {"depthwise"}


def test_static_int8_ignores_the_threshold() -> None:
    """Static int8 has no per-call quantization to pay for: every layer stays int8."""
    from sdkgen.compression.executorch import quantize_module

    example = (torch.zeros(1, 3, 8, 8),)
    calibration = [(torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(i)),)
                   for i in range(4)]
    measured: dict = {}
    converted = quantize_module(_Net().eval(), example, calibration, mode="int8",
                                dynamic_min_macs=10**9, measured=measured)
    assert "small_layers" not in measured
    assert {"narrow", "head.0", "wide"}.isdisjoint(_float_weight_layers(converted))


def test_the_report_names_the_small_layers_escaped() -> None:
    from sdkgen.codegen.naming import markdown_text
    from sdkgen.report import _small_layer_lines

    hostile = "head|<b>*x*</b>`"
    variants = [
        {"file": "v.pte", "details": {"small_layers": {"min_macs": 4096, "layers": [hostile, "b"],
                                                        "macs": [512, 1024]}}},
        {"file": "w.pte", "details": {"small_layers": {"min_macs": 4096, "layers": [], "macs": []}}},
        {"file": "s.pte", "details": {}},
    ]
    (line,) = _small_layer_lines(variants)
    assert line.startswith("- `v.pte`: 2 linears/1×1 convs with fewer than 4096 multiply-adds")
    assert f"{markdown_text(hostile)} (512), b (1024)" in line
    assert hostile not in line
