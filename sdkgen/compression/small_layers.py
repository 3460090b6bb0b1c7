"""Which convs and linears are too small for dynamic int8 activations to pay, by their shape.

XNNPACK runs a dynamically quantized conv/linear as a per-row quantization of its float input
(one int8 scale per row: per pixel for a 1×1 conv) followed by an int8 GEMM whose output is
float again. The quantization is a fixed cost per input row; what int8 saves grows with the
multiply-adds each row feeds, ``in_channels × out_channels``. Below some size the row's
quantization costs more than its int8 GEMM saves, and the layer runs *slower* than float.
Measured on MobileNetV2 on an x86 host (docs/compression.md, "Small layers stay float"): five of
its six 1×1 convs with 512-3,456 multiply-adds per row took 1.07-3.1× their float time with
dynamic activations (the sixth 0.89×), those with 4,608 and more 0.22-1.0×. The break-even
depends on the CPU's int8 kernels, hence a definition field rather than a constant.

A layer's size comes from its weight's shape only (never a measurement), so the choice, and the
``.pte``, are the same on every machine; the definition sets the threshold
(``compression.android.dynamic_min_macs``). Only GEMM-shaped ops count: linears, and convs with a
1×1 kernel and one group. Larger kernels go through XNNPACK's indirect GEMM, whose float kernel is
the slower one for few input channels (MobileNetV2's first conv, 3 channels, ran 1.4× faster
with dynamic activations), and depthwise convs have no dynamic int8 kernel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdkgen.compression.graph_nodes import conv_groups, module_paths


@dataclass(frozen=True)
class SmallLayers:
    """The layers a dynamic int8 variant keeps float because of their size (graph order)."""

    min_macs: int  # multiply-adds per output row a layer needs to be quantized
    layers: list[str]  # module names (named_modules()) of the layers kept float
    macs: list[int]  # each one's multiply-adds per output row

    def to_json(self) -> dict[str, Any]:
        return {"min_macs": self.min_macs, "layers": self.layers, "macs": self.macs}


def _weight_shape(node: Any) -> tuple[int, ...] | None:
    """The weight's shape as torch.export recorded it (``meta["val"]``); None if it did not."""
    weight = node.args[1] if len(node.args) > 1 else None
    value = weight.meta.get("val") if hasattr(weight, "meta") else None
    return tuple(int(d) for d in value.shape) if hasattr(value, "shape") else None


def row_macs(node: Any) -> int | None:
    """Multiply-adds per output row of a linear or a 1×1 single-group conv; None for other ops
    (and for a layer whose weight shape the capture did not record: it stays quantized)."""
    import torch

    linear, conv = torch.ops.aten.linear.default, torch.ops.aten.conv2d.default
    if node.op != "call_function" or node.target not in (linear, conv):
        return None
    shape = _weight_shape(node)
    if shape is None:
        return None
    if node.target == linear and len(shape) == 2:
        return shape[0] * shape[1]
    if len(shape) == 4 and shape[2:] == (1, 1) and conv_groups(node) == 1:
        return shape[0] * shape[1]
    return None


def small_layers(graph_module: Any, min_macs: int) -> tuple[SmallLayers, frozenset[str]]:
    """The GEMM-shaped layers of a captured graph with fewer than ``min_macs`` multiply-adds per
    output row, for the report, and their node names, for the quantizer's float filter."""
    names: list[str] = []
    layers: list[str] = []
    macs: list[int] = []
    for node in graph_module.graph.nodes:
        size = row_macs(node)
        if size is not None and size < min_macs:
            names.append(node.name)
            paths = module_paths(node)
            layers.append(paths[-1] if paths else node.name)
            macs.append(size)
    return SmallLayers(min_macs, layers, macs), frozenset(names)
