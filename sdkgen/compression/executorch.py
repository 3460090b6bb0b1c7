"""int8 ExecuTorch variants: PT2E quantization with the XNNPACK quantizer, then XNNPACK lowering.

Signatures used (executorch 1.5.1, torchao 0.18.0, read from the installed packages):
- ``executorch/backends/xnnpack/quantizer/xnnpack_quantizer.py``:
  ``get_symmetric_quantization_config(is_per_channel=False, is_qat=False, is_dynamic=False, ...)``,
  ``XNNPACKQuantizer().set_global(config)``; ``is_dynamic=True`` annotates only ``linear`` and
  ``conv`` patterns (``QuantPattern(..., is_dynamic=True, ...)``).
- ``torchao/quantization/pt2e/quantize_pt2e.py``: ``prepare_pt2e(model, quantizer)``,
  ``convert_pt2e(model)`` (PT2E moved from ``torch.ao`` to torchao).
- ``executorch.exir.to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()])``.

Modes:
- ``int8``: static int8. Weights symmetric per output channel, activations per tensor with
  ranges observed on the calibration samples (HistogramObserver), observed *after* a ReLU6/clamp
  that follows a conv or linear (:mod:`sdkgen.compression.quantizer`). Everything XNNPACK supports
  runs in int8 between quantize/dequantize pairs.
- ``int8_mixed`` (built by the compression stage): ``int8`` with the ops around the most sensitive
  activations left float, chosen on the calibration samples (:mod:`sdkgen.compression.sensitivity`).
- ``int8_weight_only``: weights int8 per output channel; activations stay float32 tensors between
  ops and are quantized on the fly inside each XNNPACK linear/conv (dynamic quantization), so no
  calibration data is used and no activation range is baked into the program.

Weight rounding: ``nearest`` (each weight to its nearest int8 level, as ``convert_pt2e`` does), or
``gptq`` (:mod:`sdkgen.compression.gptq`: the same grid, levels chosen on the calibration samples
so each layer's output moves least; it needs calibration samples in either mode).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sdkgen.compression.graph_nodes import conv_groups, module_paths
from sdkgen.errors import ExportError

QuantizeMode = Literal["int8", "int8_weight_only"]  # int8_mixed is int8 with float_nodes
WeightRounding = Literal["nearest", "gptq"]


@dataclass(frozen=True)
class QuantizedProgram:
    path: Path
    size_bytes: int
    planned_memory_bytes: int
    delegate_calls: int
    calibration_samples: int
    per_channel: bool


DEPTHWISE = "depthwise"


def _is_depthwise(node: Any) -> bool:
    import torch

    return node.target == torch.ops.aten.conv2d.default and conv_groups(node) != 1


def keep_float_filter(
    keep_float: Sequence[str], float_nodes: Collection[str] = ()
) -> Callable[[Any], bool]:
    """Node → whether to quantize it: False for nodes in ``keep_float`` modules or kinds, and for
    captured-graph nodes named in ``float_nodes`` (chosen by mixed precision)."""
    names = [name for name in keep_float if name != DEPTHWISE]
    nodes = frozenset(float_nodes)

    def quantize(node: Any) -> bool:
        if node.name in nodes:
            return False
        if DEPTHWISE in keep_float and _is_depthwise(node):
            return False
        paths = module_paths(node)
        return not any(p == n or p.startswith(f"{n}.") for p in paths for n in names)

    return quantize


def _quantizer(
    mode: QuantizeMode, *, per_channel: bool, keep_float: Sequence[str] = (),
    float_nodes: Collection[str] = (), dynamic_nodes: Collection[str] = (),
) -> Any:
    from executorch.backends.xnnpack.quantizer.xnnpack_quantizer import (
        get_symmetric_quantization_config,
    )

    from sdkgen.compression.quantizer import clamp_fusing_quantizer

    config = get_symmetric_quantization_config(
        is_per_channel=per_channel, is_dynamic=mode == "int8_weight_only"
    )
    quantizer = clamp_fusing_quantizer(dynamic_nodes).set_global(config)
    if keep_float or float_nodes:
        quantizer.set_filter_function(keep_float_filter(keep_float, float_nodes))
    return quantizer


def needs_calibration(mode: QuantizeMode, weight_rounding: WeightRounding) -> bool:
    """Static activation ranges and GPTQ rounding are both measured on calibration samples."""
    return mode == "int8" or weight_rounding == "gptq"


def quantizer_factory(
    mode: QuantizeMode, *, per_channel: bool, keep_float: Sequence[str] = ()
) -> Callable[[], Any]:
    """A fresh quantizer per call (PT2E quantizers are not reused between captures)."""
    return lambda: _quantizer(mode, per_channel=per_channel, keep_float=keep_float)


def quantize_module(
    module: Any, example_inputs: tuple[Any, ...], calibration: Sequence[tuple[Any, ...]],
    *, mode: QuantizeMode, per_channel: bool = True, keep_float: Sequence[str] = (),
    float_nodes: Collection[str] = (), dynamic_nodes: Collection[str] = (),
    bias_correction: bool = False, weight_rounding: WeightRounding = "nearest",
    dynamic_min_macs: int = 0, measured: dict[str, Any] | None = None,
) -> Any:
    """The PT2E-quantized graph module (``convert_pt2e`` output), calibrated on ``calibration``.

    ``calibration`` is a sequence of model-input tuples (torch tensors); it is required for
    ``int8`` and for GPTQ rounding, and otherwise ignored for ``int8_weight_only``. What bias
    correction and GPTQ measured goes into ``measured`` ("bias_correction", "gptq").
    With dynamic activations, linears and 1×1 convs with fewer than ``dynamic_min_macs``
    multiply-adds per output row stay float (:mod:`sdkgen.compression.small_layers`; listed in
    ``measured["small_layers"]``).
    """
    import torch
    from torchao.quantization.pt2e.quantize_pt2e import convert_pt2e, prepare_pt2e

    if needs_calibration(mode, weight_rounding) and not calibration:
        raise ExportError(
            f"{mode} quantization with {weight_rounding} weight rounding needs calibration "
            "samples: none were given",
            hint="declare compression.calibration (images, npz or callable) in the definition",
        )
    results = measured if measured is not None else {}
    captured = torch.export.export(module, example_inputs, strict=False).module()
    if mode == "int8_weight_only" and dynamic_min_macs > 0:
        from sdkgen.compression.small_layers import small_layers

        results["small_layers"], small = small_layers(captured, dynamic_min_macs)
        float_nodes = frozenset(float_nodes) | small
    prepared = prepare_pt2e(captured, _quantizer(mode, per_channel=per_channel, keep_float=keep_float,
                                                  float_nodes=float_nodes, dynamic_nodes=dynamic_nodes))
    # Observers reduce over activations; with several threads the float summation order (and so
    # a histogram bin edge, and so a scale) can change between runs. One thread makes the
    # calibrated scales, and the .pte bytes, the same every build.
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        if weight_rounding == "gptq":
            from sdkgen.compression.gptq import round_weights_by_gptq

            results["gptq"] = round_weights_by_gptq(prepared, calibration)  # calibrates too
        else:
            with torch.no_grad():
                for sample in calibration if mode == "int8" else (example_inputs,):
                    prepared(*sample)
        reference = copy.deepcopy(prepared) if bias_correction else None
        converted = convert_pt2e(prepared)
        if reference is not None:
            from sdkgen.compression.bias_correction import correct_biases

            results["bias_correction"] = correct_biases(reference, converted, calibration)
    finally:
        torch.set_num_threads(threads)
    return converted


def export_quantized(
    module: Any, example_inputs: tuple[Any, ...], calibration: Sequence[tuple[Any, ...]],
    destination: Path, *, mode: QuantizeMode, per_channel: bool = True,
    keep_float: Sequence[str] = (), float_nodes: Collection[str] = (),
    dynamic_nodes: Collection[str] = (), bias_correction: bool = False,
    weight_rounding: WeightRounding = "nearest", dynamic_min_macs: int = 0,
    measured: dict[str, Any] | None = None,
) -> QuantizedProgram:
    """Quantize ``module``, lower it to XNNPACK and write the ``.pte`` to ``destination``."""
    import torch
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower

    from sdkgen.export.executorch import _delegate_calls, _planned_memory_bytes

    try:
        quantized = quantize_module(
            module, example_inputs, calibration, mode=mode, per_channel=per_channel,
            keep_float=keep_float, float_nodes=float_nodes, dynamic_nodes=dynamic_nodes,
            bias_correction=bias_correction, weight_rounding=weight_rounding,
            dynamic_min_macs=dynamic_min_macs, measured=measured,
        )
        program = torch.export.export(quantized, example_inputs, strict=False)
        edge = to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()])
        delegate_calls = _delegate_calls(edge.exported_program())
        manager = edge.to_executorch()
    except ExportError:
        raise
    except Exception as error:
        raise ExportError(
            f"ExecuTorch {mode} quantization failed: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}",
            hint="run with --traceback for the full error; try quantize: int8_weight_only",
        ) from error
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(manager.buffer)
    return QuantizedProgram(
        path=destination,
        size_bytes=destination.stat().st_size,
        planned_memory_bytes=_planned_memory_bytes(manager),
        delegate_calls=delegate_calls,
        calibration_samples=len(calibration) if needs_calibration(mode, weight_rounding) else 0,
        per_channel=per_channel,
    )
