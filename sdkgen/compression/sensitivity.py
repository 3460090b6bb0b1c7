"""Automatic mixed precision for static int8: which activations to keep in float, measured.

On the calibration samples only (never the evaluation set):

1. quantize the model statically (PT2E, :func:`sdkgen.compression.quantizer.clamp_fusing_quantizer`)
   and simulate it in eager PyTorch (``convert_pt2e`` with the quantize/dequantize pairs kept);
2. for every activation quantization point, remove just that pair (that tensor stays float) and
   measure how much closer the output gets to float's: the mean KL divergence of the softmaxed
   first output over one batch of ``batch`` calibration samples taken at a stride (its
   *sensitivity*);
3. keep float the most sensitive points until the simulated top-1 agreement with float on all
   calibration samples reaches the target (1 - the budget's top-1 drop): the count is doubled
   until it does, then bisected, so the result is the fewest points meeting the target, in
   sensitivity order (at most ``max_float_points``);
4. the ops that produce and consume those tensors are left out of quantization in the real
   program (a node filter on the quantizer), which is then calibrated and lowered as ``int8``.

Simulation runs in batches (one capture with a batch of ``batch`` samples) so it takes minutes,
not tens of minutes; the lowered program is captured with the model's own example inputs.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

DEFAULT_BATCH = 16
DEFAULT_MAX_FLOAT_POINTS = 32


@dataclass(frozen=True)
class PointSensitivity:
    point: str  # the quantize node of the activation, in the simulated graph
    tensor_of: str  # the op producing the tensor
    kl_when_float: float  # mean KL(float || quantized) with only this tensor left float


@dataclass(frozen=True)
class MixedPrecisionPlan:
    float_nodes: tuple[str, ...]  # captured-graph node names left out of quantization
    float_points: tuple[str, ...]  # activation tensors (their producers) kept float, in order
    calibration_agreement: float  # simulated, on the calibration samples, with those points float
    all_int8_agreement: float  # simulated, everything int8
    all_int8_kl: float
    points: int  # activation quantization points in the program
    target_agreement: float
    sensitivities: tuple[PointSensitivity, ...]  # most sensitive first
    # of float_nodes, the convs (not depthwise) and linears: XNNPACK runs them with dynamic int8
    # activations (per-channel int8 weights), the other ops around the sensitive tensors float
    dynamic_capable: tuple[str, ...] = ()

    def split(self, fallback: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(nodes kept float, nodes with dynamic int8 activations) for a recipe's fallback."""
        if fallback == "dynamic":
            dynamic = tuple(n for n in self.float_nodes if n in self.dynamic_capable)
            return tuple(n for n in self.float_nodes if n not in dynamic), dynamic
        return self.float_nodes, ()

    def to_json(self) -> dict[str, Any]:
        return {
            "float_points": list(self.float_points), "float_nodes": list(self.float_nodes),
            "calibration_top1_agreement_simulated": round(self.calibration_agreement, 6),
            "all_int8_calibration_top1_agreement_simulated": round(self.all_int8_agreement, 6),
            "target_top1_agreement": self.target_agreement,
            "activation_points": self.points,
            "most_sensitive": [
                {"tensor_of": s.tensor_of, "kl_when_float": round(s.kl_when_float, 6),
                 "kl_all_int8": round(self.all_int8_kl, 6)}
                for s in self.sensitivities[:10]
            ],
        }


def _batches(samples: Sequence[tuple[Any, ...]], size: int) -> list[tuple[Any, ...]]:
    import torch

    batches = []
    for start in range(0, len(samples), size):
        chunk = samples[start:start + size]
        if len(chunk) < size:  # one capture, one batch shape: drop the remainder
            break
        batches.append(tuple(torch.cat([s[i] for s in chunk]) for i in range(len(chunk[0]))))
    return batches


def _is_activation_quantize(node: Any) -> bool:
    name = str(node.target)
    return (node.op == "call_function" and "quantize_per_tensor" in name
            and "dequantize" not in name)


def _bypass(graph_module: Any, points: set[str]) -> Any:
    """A copy of ``graph_module`` where the quantize/dequantize pairs named in ``points`` are gone."""
    copied = copy.deepcopy(graph_module)
    for node in list(copied.graph.nodes):
        if node.name in points:
            source = node.args[0]
            for dequantize in list(node.users):
                dequantize.replace_all_uses_with(source)
    copied.graph.eliminate_dead_code()
    copied.recompile()
    return copied


def _ops_around(quantize: Any, clamp_targets: set[Any]) -> set[str]:
    """Names of the ops producing and consuming the tensor that ``quantize`` quantizes."""
    names = set()
    producer = quantize.args[0]
    if getattr(producer, "op", None) == "call_function":
        names.add(producer.name)
        if producer.target in clamp_targets and producer.args:
            names.add(producer.args[0].name)  # the conv/linear whose output range it carries
    for dequantize in quantize.users:
        for consumer in dequantize.users:
            if consumer.op == "call_function":
                names.add(consumer.name)
    return names


def plan_mixed_precision(
    module: Any, example_inputs: tuple[Any, ...], calibration: Sequence[tuple[Any, ...]],
    *, quantizer_factory: Callable[[], Any], target_agreement: float, output_index: int = 0,
    batch: int = DEFAULT_BATCH, max_float_points: int = DEFAULT_MAX_FLOAT_POINTS,
    progress: Callable[[str], None] = lambda _: None,
) -> MixedPrecisionPlan:
    """Measure every activation point's sensitivity on ``calibration`` and choose the float ones.

    ``example_inputs`` is unused for the capture (a batch of calibration samples is captured
    instead) but documents what the lowered program takes.
    """
    import torch

    del example_inputs
    # one thread: observer reductions in a fixed order, so the plan is the same every build
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return _plan(module, calibration, quantizer_factory=quantizer_factory,
                     target_agreement=target_agreement, output_index=output_index, batch=batch,
                     max_float_points=max_float_points, progress=progress)
    finally:
        torch.set_num_threads(threads)


def _plan(
    module: Any, calibration: Sequence[tuple[Any, ...]], *, quantizer_factory: Callable[[], Any],
    target_agreement: float, output_index: int, batch: int, max_float_points: int,
    progress: Callable[[str], None],
) -> MixedPrecisionPlan:
    import torch
    from torchao.quantization.pt2e.quantize_pt2e import convert_pt2e, prepare_pt2e

    from sdkgen.compression.quantizer import _clamp_targets

    batch = max(1, min(batch, len(calibration)))
    batches = _batches(calibration, batch)
    # sensitivity on a strided subset (calibration sets are often grouped by source), one batch
    # of the captured batch size (the simulated graph is specialised to it)
    stride = max(1, len(calibration) // batch)
    probe = _batches(list(calibration[::stride])[:batch], batch)
    captured = torch.export.export(module, batches[0], strict=False).module()
    prepared = prepare_pt2e(captured, quantizer_factory())
    with torch.no_grad():
        for sample in batches:
            prepared(*sample)
        simulated = convert_pt2e(prepared)
        references = {id(b): _first(module(*b), output_index) for b in [*batches, *probe]}

    def score(graph_module: Any, over: list[tuple[Any, ...]]) -> tuple[float, float]:
        agree = kl = 0.0
        count = 0
        with torch.no_grad():
            for sample in over:
                want = references[id(sample)]
                got = _first(graph_module(*sample), output_index)
                want2, got2 = want.reshape(want.shape[0], -1), got.reshape(got.shape[0], -1)
                agree += float((want2.argmax(1) == got2.argmax(1)).sum())
                kl += float(torch.nn.functional.kl_div(
                    torch.log_softmax(got2, 1), torch.log_softmax(want2, 1), log_target=True,
                    reduction="sum"))
                count += want2.shape[0]
        return agree / count, kl / count

    base_agreement, base_kl = score(simulated, batches)
    points = [n for n in simulated.graph.nodes if _is_activation_quantize(n)]
    if base_agreement >= target_agreement:  # all int8 already meets the budget: nothing to measure
        progress(f"mixed precision: all int8 meets the target ({base_agreement:.3f})")
        return MixedPrecisionPlan(
            float_nodes=(), float_points=(), calibration_agreement=base_agreement,
            all_int8_agreement=base_agreement, all_int8_kl=base_kl, points=len(points),
            target_agreement=target_agreement, sensitivities=(),
        )
    progress(f"mixed precision: {len(points)} activation points; all int8, simulated calibration "
             f"agreement {base_agreement:.3f}; measuring each point on "
             f"{sum(b[0].shape[0] for b in probe)} samples")
    sensitivities = []
    for node in points:
        _, kl = score(_bypass(simulated, {node.name}), probe)
        producer = node.args[0]
        sensitivities.append(PointSensitivity(node.name, getattr(producer, "name", str(producer)), kl))
    sensitivities.sort(key=lambda s: (s.kl_when_float, s.point))

    def agreement_with(count: int) -> float:
        if count == 0:
            return base_agreement
        value, _ = score(_bypass(simulated, {s.point for s in sensitivities[:count]}), batches)
        progress(f"mixed precision: {count} most sensitive point(s) float: simulated calibration "
                 f"agreement {value:.3f}")
        return value

    # fewest points (in sensitivity order) meeting the target: double, then bisect
    limit = min(max_float_points, len(sensitivities))
    chosen, agreement = 0, base_agreement
    if base_agreement < target_agreement and limit:
        low, high = 0, 1
        measured = {0: base_agreement}
        while True:
            measured[high] = agreement_with(high)
            if measured[high] >= target_agreement or high == limit:
                break
            low, high = high, min(2 * high, limit)
        if measured[high] >= target_agreement:
            while high - low > 1:
                middle = (low + high) // 2
                measured[middle] = agreement_with(middle)
                low, high = (middle, high) if measured[middle] < target_agreement else (low, middle)
        chosen, agreement = high, measured[high]
    by_name = {n.name: n for n in simulated.graph.nodes}
    clamps = _clamp_targets()
    float_nodes = sorted(set().union(*[_ops_around(by_name[s.point], clamps)
                                        for s in sensitivities[:chosen]]))
    dynamic_capable = tuple(n for n in float_nodes if _gemm_not_depthwise(by_name[n]))
    return MixedPrecisionPlan(
        float_nodes=tuple(float_nodes), float_points=tuple(s.tensor_of for s in sensitivities[:chosen]),
        calibration_agreement=agreement, all_int8_agreement=base_agreement, all_int8_kl=base_kl,
        points=len(points), target_agreement=target_agreement, sensitivities=tuple(sensitivities),
        dynamic_capable=dynamic_capable,
    )


def _gemm_not_depthwise(node: Any) -> bool:
    """A conv (not depthwise) or linear: what XNNPACK runs with dynamic int8 activations."""
    import torch

    from sdkgen.compression.executorch import _is_depthwise

    return node.target in (torch.ops.aten.conv2d.default, torch.ops.aten.linear.default) and not (
        _is_depthwise(node))


def _first(outputs: Any, index: int) -> Any:
    if isinstance(outputs, (tuple, list)):
        return outputs[index]
    return outputs
