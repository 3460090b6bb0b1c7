"""The XNNPACK PT2E quantizer, with conv/linear → ReLU6 (hardtanh/clamp) quantized as one op.

Why (measured on MobileNetV2, docs/compression.md): executorch 1.5.1's ``XNNPACKQuantizer`` fuses
a conv or linear with a following ``relu`` only (``is_relu_node`` checks ``aten.relu``); a
following ``hardtanh`` (ReLU6) is a "shared observer" op. So the conv's *pre-activation* output
is quantized with the range observed before the clamp (tens of units wide), and the clamped
``[0, 6]`` tensor inherits that scale: a few dozen of the 256 int8 levels are left for the values
the next layer sees, after each of MobileNetV2's 35 conv + ReLU6 pairs. Here the conv's output
observer moves behind the clamp, as XNNPACK itself computes it (the clamp is fused into the
conv's output range when lowered). Lowered, the program is unchanged in shape: one XNNPACK
delegate, no op left outside.

Signatures used (executorch 1.5.1, torchao 0.18.0): ``XNNPACKQuantizer._annotate_for_quantization_config
(model)`` and ``propagate_annotation(model)`` are the two steps of ``XNNPACKQuantizer.annotate``;
annotations live in ``node.meta["quantization_annotation"]`` as
``torchao.quantization.pt2e.quantizer.QuantizationAnnotation(input_qspec_map, output_qspec, _annotated)``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

ANNOTATION_KEY = "quantization_annotation"


def _clamp_targets() -> set[Any]:
    import torch

    return {torch.ops.aten.hardtanh.default, torch.ops.aten.hardtanh_.default,
            torch.ops.aten.clamp.default, torch.ops.aten.clamp_.default}


def move_output_observers_behind_clamps(model: Any) -> int:
    """For each annotated op whose only user is a clamp: quantize the clamp's output instead.

    Returns the number of ops changed.
    """
    from torchao.quantization.pt2e.quantizer import QuantizationAnnotation

    targets = _clamp_targets()
    moved = 0
    for node in model.graph.nodes:
        if node.op != "call_function" or node.target not in targets or not node.args:
            continue
        producer = node.args[0]
        annotation = getattr(producer, "meta", {}).get(ANNOTATION_KEY)
        if annotation is None or annotation.output_qspec is None or len(producer.users) != 1:
            continue
        if ANNOTATION_KEY in node.meta and node.meta[ANNOTATION_KEY]._annotated:
            continue
        node.meta[ANNOTATION_KEY] = QuantizationAnnotation(
            input_qspec_map={}, output_qspec=annotation.output_qspec, _annotated=True
        )
        annotation.output_qspec = None
        moved += 1
    return moved


def clamp_fusing_quantizer(dynamic_nodes: Collection[str] = ()) -> Any:
    """An ``XNNPACKQuantizer`` (same configuration API) that quantizes after ReLU6/clamp.

    ``dynamic_nodes``: names of captured conv/linear nodes to quantize with dynamic int8
    activations (per-channel int8 weights) instead of the global configuration; other ops
    around them that the global configuration would quantize stay float.
    """
    from executorch.backends.xnnpack.quantizer.xnnpack_quantizer import (
        XNNPACKQuantizer,
        get_symmetric_quantization_config,
    )
    from executorch.backends.xnnpack.quantizer.xnnpack_quantizer_utils import propagate_annotation

    dynamic = frozenset(dynamic_nodes)

    class ClampFusingXNNPACKQuantizer(XNNPACKQuantizer):
        def annotate(self, model: Any) -> Any:
            if dynamic:
                static_filter = self.filter_fn
                self.filter_fn = lambda node: node.name not in dynamic and (
                    static_filter is None or static_filter(node))
                model = self._annotate_for_quantization_config(model)
                self.filter_fn = None
                self._annotate_all_patterns(
                    model, get_symmetric_quantization_config(is_per_channel=True, is_dynamic=True),
                    # a pattern's weight and bias constants are checked too: let them through
                    lambda node: node.name in dynamic or node.op != "call_function")
                self.filter_fn = static_filter
            else:
                model = self._annotate_for_quantization_config(model)
            move_output_observers_behind_clamps(model)
            propagate_annotation(model)
            return model

    return ClampFusingXNNPACKQuantizer()
