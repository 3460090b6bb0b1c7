"""Empirical bias correction of a statically quantized graph, on the calibration samples.

Quantizing weights and activations shifts the mean of each conv/linear output channel (rounding
errors do not average out when a channel's weights or inputs are skewed). Bias correction
(Nagel et al., "Data-Free Quantization", 2019, empirical variant) measures that shift on the
calibration samples and subtracts it from the channel's bias:

1. the float reference is the *prepared* PT2E graph (BatchNorm already folded into the convs, the
   observers pass values through), the quantized one its ``convert_pt2e`` output; both name each
   conv/linear node the same;
2. both run over the calibration samples; for every conv/linear node the per-output-channel mean
   of its output (over batch and spatial positions) is recorded;
3. layer by layer in graph order, all samples in lock-step, each quantized node's bias is
   lowered by (quantized mean - float mean) as measured with the earlier layers already
   corrected (one pass; correcting all layers from one measurement diverges on MobileNetV2).

Only the calibration samples are used. The corrected biases are the float biases of the
converted graph (XNNPACK's static int8 config leaves biases float; the lowering quantizes them to
int32 with the input and weight scales), so the lowered program carries the correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sdkgen.compression.lockstep import graph_attribute, run_in_lock_step


@dataclass(frozen=True)
class BiasCorrection:
    layers: int  # conv/linear nodes corrected
    mean_abs_shift_before: float  # mean |quantized - float| channel mean, each layer as reached
    mean_abs_shift_after: float  # the same, measured again after every correction

    def to_json(self) -> dict[str, Any]:
        return {"layers": self.layers,
                "mean_abs_channel_shift_before": round(self.mean_abs_shift_before, 6),
                "mean_abs_channel_shift_after": round(self.mean_abs_shift_after, 6)}


def _corrected_targets() -> set[Any]:
    import torch

    return {torch.ops.aten.conv2d.default, torch.ops.aten.conv1d.default,
            torch.ops.aten.linear.default}


def _channel_means(graph_module: Any, samples: Sequence[tuple[Any, ...]],
                   names: set[str]) -> dict[str, Any]:
    """Per-output-channel mean of the outputs of the nodes in ``names``, over every sample."""
    import torch
    from torch.fx import Interpreter

    sums: dict[str, Any] = {}
    counts: dict[str, int] = {}

    class Recorder(Interpreter):
        def run_node(self, node: Any) -> Any:
            value = super().run_node(node)
            if node.name in names:
                dim = -1 if node.target == torch.ops.aten.linear.default else 1
                flat = value.movedim(dim, 0).reshape(value.shape[dim], -1).double()
                sums[node.name] = sums.get(node.name, 0) + flat.sum(1)
                counts[node.name] = counts.get(node.name, 0) + flat.shape[1]
            return value

    with torch.no_grad():
        for sample in samples:
            Recorder(graph_module).run(*sample)
    return {name: sums[name] / counts[name] for name in sums}


def _output_channels(graph_module: Any, weight: Any) -> int | None:
    """Output channels of a weight: a constant, or the dequantization of one."""
    while getattr(weight, "op", None) == "call_function" and weight.args:
        weight = weight.args[0]
    if getattr(weight, "op", None) != "get_attr":
        return None
    return int(graph_attribute(graph_module, weight.target).shape[0])


def _bias_tensor(graph_module: Any, node: Any) -> Any:
    """The bias constant of a conv/linear node, created (zeros) when the node has none."""
    import torch

    bias = node.args[2] if len(node.args) > 2 else None
    if bias is None:
        channels = _output_channels(graph_module, node.args[1])
        if channels is None:
            return None
        name = f"_sdkgen_corrected_bias_{node.name}"
        graph_module.register_buffer(name, torch.zeros(channels))
        with graph_module.graph.inserting_before(node):
            attribute = graph_module.graph.get_attr(name)
        args = list(node.args) + [None] * (3 - len(node.args))
        args[2] = attribute
        node.args = tuple(args)
        return getattr(graph_module, name)
    if getattr(bias, "op", None) != "get_attr":
        return None  # a computed or quantized bias: left alone
    return graph_attribute(graph_module, bias.target)


def _sequentially_corrected_means(
    graph_module: Any, samples: Sequence[tuple[Any, ...]], biases: dict[str, Any],
    want: dict[str, Any],
) -> dict[str, Any]:
    """Run every sample through ``graph_module`` in lock-step, node by node; at each corrected
    node, lower its bias by the channel shift measured over all samples and shift its outputs
    the same way before later nodes see them. Returns each node's shift before its correction.

    Sequential, so each layer is corrected for what it receives from already corrected layers:
    correcting every layer at once from one measurement over-corrects (a later layer's shift
    partly comes from earlier ones) and diverges on deep networks (measured on MobileNetV2).
    """
    import torch

    shifts = {}

    def correct(node: Any, values: list[Any]) -> list[Any]:
        if node.name not in want:
            return values
        dim = -1 if node.target == torch.ops.aten.linear.default else 1
        got = sum(v.movedim(dim, 0).reshape(v.shape[dim], -1).double().mean(1)
                  for v in values) / len(values)
        shift = (got - want[node.name]).to(values[0].dtype)
        shifts[node.name] = shift
        biases[node.name].sub_(shift)
        shape = [1] * values[0].dim()
        shape[dim] = -1
        return [v - shift.view(shape) for v in values]

    run_in_lock_step(graph_module, samples, after=correct)
    return shifts


def correct_biases(
    reference: Any, quantized: Any, calibration: Sequence[tuple[Any, ...]],
) -> BiasCorrection:
    """Correct ``quantized``'s conv/linear biases in place so their channel means match ``reference``.

    ``reference``: the calibrated prepared graph (float, BatchNorm folded); ``quantized``: its
    ``convert_pt2e`` output. Nodes are matched by name; layers are corrected in graph order.
    """
    import torch

    targets = _corrected_targets()
    reference_names = {n.name for n in reference.graph.nodes if n.target in targets}
    nodes = [n for n in quantized.graph.nodes
             if n.op == "call_function" and n.target in targets and n.name in reference_names]
    biases = {n.name: _bias_tensor(quantized, n) for n in nodes}
    quantized.recompile()
    biases = {name: bias for name, bias in biases.items() if bias is not None}
    want = _channel_means(reference, calibration, set(biases))
    shifts = _sequentially_corrected_means(quantized, calibration, biases, want)
    after = _channel_means(quantized, calibration, set(biases))

    def mean_abs(values: dict[str, Any]) -> float:
        return float(torch.cat([v.abs().double() for v in values.values()]).mean()) if values else 0.0

    return BiasCorrection(
        layers=len(biases), mean_abs_shift_before=mean_abs(shifts),
        mean_abs_shift_after=mean_abs({n: after[n] - want[n] for n in biases}),
    )
