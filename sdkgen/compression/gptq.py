"""GPTQ rounding of the int8 weights of a PT2E-prepared graph, on the calibration samples.

Rounding each weight to its nearest int8 level is one of the two limits of int8 agreement on
ImageNet classifiers, activation ranges the other (docs/compression.md: on MobileNetV2 the weight
rounding alone flips 10 of 68 evaluation photos, with activations in float).

GPTQ (Frantar et al., "GPTQ: Accurate Post-Training Quantization for Generative Pre-trained
Transformers", 2023; after Optimal Brain Quantization) rounds the columns of a layer's weight one
at a time and moves each column's rounding error onto the columns not rounded yet, weighted by the
inverse of the layer's input second-moment matrix, so that the layer's *output* on real inputs
changes as little as possible. Here that matrix is ``G = E[x̃ x̃ᵀ]`` of the inputs as the int8 op
receives them (``x̃``: the input quantized with its calibrated range, or per call for dynamic
activations). The result is still one int8 value per weight on the same per-channel grid: the
lowered program, its size and its speed are those of plain int8.

How it fits PT2E (torchao 0.18 ``prepare_pt2e``; executorch 1.5.1 XNNPACK quantizer):

- the prepared graph has BatchNorm folded into the conv weights, and each weight passes through
  its own observer (``PerChannelMinMaxObserver`` for per-channel weights); those observers run
  first, on the weights as trained, so the int8 grid (``observer.calculate_qparams()``) is the
  one nearest rounding would use, and ``convert_pt2e`` quantizes the rounded weights onto that
  same grid without moving them;
- all calibration samples advance through the graph together (:mod:`sdkgen.compression.lockstep`):
  at each conv/linear node, ``G`` is accumulated from that node's inputs as computed with every
  earlier layer already rounded, the weight is rounded in place, then the node runs. The same
  pass is the activation calibration: every activation observer sees each sample once, computed
  with the final weights.

Only the calibration samples are used. Convolutions are handled per group (a depthwise conv has a
9×9 ``G`` per channel), linear layers over all leading dimensions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sdkgen.compression.lockstep import graph_attribute, run_in_lock_step

DAMPING = 0.01  # of the mean diagonal of G, added to it (the GPTQ paper's default)


@dataclass(frozen=True)
class GptqRounding:
    layers: int  # conv/linear weights rounded by GPTQ
    output_error_nearest: float  # Σ over layers of E‖(W - Q) x̃‖², nearest rounding
    output_error_gptq: float  # the same with the GPTQ-rounded weights

    def to_json(self) -> dict[str, Any]:
        return {"layers": self.layers,
                "layer_output_error_nearest": round(self.output_error_nearest, 6),
                "layer_output_error_gptq": round(self.output_error_gptq, 6)}


@dataclass(frozen=True)
class _Layer:
    weight: Any  # the prepared graph's weight tensor (BatchNorm folded), rounded in place
    scale: Any  # per output channel, [out]
    quant_min: int
    quant_max: int
    groups: int
    conv: dict[str, Any] | None  # unfold arguments; None for linear


def _targets() -> tuple[set[Any], set[Any]]:
    import torch

    return ({torch.ops.aten.conv2d.default, torch.ops.aten.conv1d.default},
            {torch.ops.aten.linear.default})


def _observed_weight(graph_module: Any, node: Any) -> tuple[Any, Any] | None:
    """The weight constant and its observer, when the weight is ``get_attr → observer``."""
    if getattr(node, "op", None) != "call_module" or len(node.args) != 1:
        return None
    observer = graph_attribute(graph_module, node.target)
    source = node.args[0]
    if not hasattr(observer, "calculate_qparams") or getattr(source, "op", None) != "get_attr":
        return None
    return graph_attribute(graph_module, source.target), observer


def _layer(graph_module: Any, node: Any) -> _Layer | None:
    import torch

    convs, _ = _targets()
    observed = _observed_weight(graph_module, node.args[1])
    if observed is None:
        return None
    weight, observer = observed
    scale, zero_point = observer.calculate_qparams()
    if bool((zero_point != 0).any()):
        return None  # an asymmetric weight grid: not what XNNPACK's weights use
    scale = torch.as_tensor(scale, dtype=weight.dtype).reshape(-1).expand(weight.shape[0])
    if node.target not in convs:
        return _Layer(weight, scale, observer.quant_min, observer.quant_max, 1, None)
    defaults = (None, None, None, 1, 0, 1, 1)
    stride, padding, dilation, groups = (
        node.args[i] if len(node.args) > i else defaults[i] for i in range(3, 7))
    if isinstance(padding, str):
        return None  # conv2d.padding overload ('same'/'valid'): left to nearest rounding

    def pair(value: Any) -> tuple[int, int]:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        return (1, int(values[0])) if weight.dim() == 3 else (int(values[0]), int(values[-1]))

    unfold = {"kernel_size": pair(weight.shape[2:]), "stride": pair(stride),
              "padding": pair(padding) if weight.dim() == 4 else (0, pair(padding)[1]),
              "dilation": pair(dilation)}
    return _Layer(weight, scale, observer.quant_min, observer.quant_max, int(groups), unfold)


def _input_columns(layer: _Layer, value: Any) -> Any:
    """One sample's layer input as rows of what each output sees: [groups, positions, D]."""
    import torch.nn.functional as F

    if layer.conv is None:
        return value.reshape(1, -1, value.shape[-1])
    image = value.unsqueeze(2) if value.dim() == 3 else value  # conv1d as a 1-row conv2d
    columns = F.unfold(image, **layer.conv)  # [N, C*k, L]
    batch, features, positions = columns.shape
    per_group = features // layer.groups
    return (columns.reshape(batch, layer.groups, per_group, positions)
            .permute(1, 0, 3, 2).reshape(layer.groups, batch * positions, per_group))


def _fake_quantized_input(graph_module: Any, source: Any) -> Callable[[Any], Any]:
    """What the lowered int8 op computes with instead of ``x``: its input's int8 quantization.

    Static activations: the input observer's range (it has seen every sample when this runs).
    Dynamic activations (``is_dynamic``): each call's own min/max, as XNNPACK computes them.
    An input without an observer stays float.
    """
    import torch

    observer = (graph_attribute(graph_module, source.target)
                if getattr(source, "op", None) == "call_module" else None)
    if observer is None or not hasattr(observer, "calculate_qparams"):
        return lambda value: value
    low, high = observer.quant_min, observer.quant_max
    if getattr(observer, "is_dynamic", False):
        def dynamic(value: Any) -> Any:
            minimum, maximum = (float(v) for v in torch.aminmax(value))
            minimum, maximum = min(minimum, 0.0), max(maximum, 0.0)
            scale = max((maximum - minimum) / (high - low), 1e-12)
            zero_point = int(min(max(round(low - minimum / scale), low), high))
            return torch.fake_quantize_per_tensor_affine(value, scale, zero_point, low, high)
        return dynamic
    scale, zero_point = observer.calculate_qparams()
    return lambda value: torch.fake_quantize_per_tensor_affine(
        value, float(scale), int(zero_point), low, high)


def _second_moment(layer: _Layer, values: Sequence[Any], quantize: Callable[[Any], Any]) -> Any:
    """``G = E[x̃ x̃ᵀ]`` per group over the quantized calibration inputs, float64: [groups, D, D]."""
    total: Any = 0
    count = 0
    for value in values:
        columns = _input_columns(layer, quantize(value)).double()
        total = total + columns.transpose(1, 2) @ columns
        count += columns.shape[1]
    return total / max(count, 1)


def _rounded(values: Any, scale: Any, layer: _Layer) -> Any:
    return (values / scale).round().clamp(layer.quant_min, layer.quant_max) * scale


def _damped(hessian: Any) -> Any:
    import torch

    hessian = hessian.clone()
    diagonal = torch.diagonal(hessian, dim1=-2, dim2=-1)
    diagonal[diagonal == 0] = 1.0  # an input that is always zero: its column rounds alone
    diagonal += DAMPING * diagonal.mean(-1, keepdim=True)
    return hessian


def _output_error(difference: Any, hessian: Any) -> float:
    """Σ over output channels of ``ΔW G ΔWᵀ``: the layer's mean squared output change."""
    return float((difference @ hessian * difference).sum())


def _gptq(weight: Any, hessian: Any, scale: Any, layer: _Layer) -> Any:
    """GPTQ over columns: weight [G, R, D], hessian [G, D, D], scale [G, R] → rounded weight.

    Columns go in order of decreasing input energy (``diag G``, the paper's "act order"): the
    inputs that matter most are rounded first, while the most columns are left to absorb their
    error. Measured on EfficientNet-Lite0: the summed layer error is 15 % of nearest rounding's
    with this order, 53 % in column order.
    """
    import torch

    order = torch.argsort(torch.diagonal(hessian, dim1=-2, dim2=-1), dim=-1, descending=True,
                          stable=True)  # [G, D]
    weight = torch.take_along_dim(weight, order[:, None, :], 2)
    hessian = torch.take_along_dim(torch.take_along_dim(hessian, order[:, :, None], 1),
                                   order[:, None, :], 2)
    inverse = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(_damped(hessian))),
                                    upper=True)
    rounded = torch.zeros_like(weight)
    for column in range(weight.shape[-1]):
        values = weight[:, :, column]
        chosen = _rounded(values, scale, layer)
        rounded[:, :, column] = chosen
        error = (values - chosen) / inverse[:, column, column][:, None]
        weight[:, :, column + 1:] -= error[:, :, None] * inverse[:, None, column, column + 1:]
    return torch.take_along_dim(rounded, torch.argsort(order, dim=-1)[:, None, :], 2)


def _round_layer(layer: _Layer, inputs: Sequence[Any],
                 quantize: Callable[[Any], Any]) -> tuple[float, float]:
    """Round ``layer.weight`` in place by GPTQ; returns (nearest, GPTQ) output errors.

    ``G`` is measured on the inputs as the int8 op sees them (quantized, ``x̃``): the rounding
    error is weighed by what the lowered program multiplies it with. Measured on MobileNetV2 and
    EfficientNet-Lite0 static int8 (docs/compression.md), this moved the logits less than ``G``
    from float inputs, and less than fitting ``W E[x x̃ᵀ] G⁻¹`` (which shrinks every layer's
    output a little, and deep networks compound it).
    """
    hessian = _second_moment(layer, inputs, quantize)
    groups, dimension = hessian.shape[0], hessian.shape[-1]
    original = layer.weight.detach().double().reshape(groups, -1, dimension)
    scale = layer.scale.double().reshape(groups, -1)
    nearest = _rounded(original, scale[:, :, None], layer)
    rounded = _gptq(original, hessian, scale, layer)
    errors = (_output_error(original - nearest, hessian), _output_error(original - rounded, hessian))
    layer.weight.copy_(rounded.reshape(layer.weight.shape).to(layer.weight.dtype))
    return errors


def round_weights_by_gptq(prepared: Any, calibration: Sequence[tuple[Any, ...]]) -> GptqRounding:
    """GPTQ-round every observed conv/linear weight of ``prepared`` in place; calibrates it too.

    ``prepared``: a ``prepare_pt2e`` output not yet calibrated. Replaces the calibration loop:
    afterwards every observer has seen every sample once.
    """
    convs, linears = _targets()
    done: set[int] = set()
    errors = [0.0, 0.0]

    def round_before(node: Any, environments: list[dict[Any, Any]]) -> None:
        if node.op != "call_function" or node.target not in convs | linears:
            return
        layer = _layer(prepared, node)
        if layer is None or id(layer.weight) in done:
            return
        done.add(id(layer.weight))
        nearest, gptq = _round_layer(layer, [env[node.args[0]] for env in environments],
                                     _fake_quantized_input(prepared, node.args[0]))
        errors[0] += nearest
        errors[1] += gptq

    run_in_lock_step(prepared, calibration, before=round_before)
    return GptqRounding(layers=len(done), output_error_nearest=errors[0],
                        output_error_gptq=errors[1])
