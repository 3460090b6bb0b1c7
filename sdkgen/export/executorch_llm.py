"""Android recipe for decoder language models: a KV-cache ``.pte`` that ExecuTorch's LLM runner reads.

Built with ExecuTorch's own LLM export machinery, called as a Python API (no CLI subprocess): its
llama ``Transformer`` (``executorch.examples.models.llama``) carries the weights, its source
transforms swap in the custom SDPA op with an in-place KV cache and torchao's quantisation
(quantised formats also store the token embedding at 8 bits: :mod:`.quantized_embedding`), and
its ``LLMEdgeManager`` exports, lowers to XNNPACK and writes the runner's metadata as constant
methods. The result is what ``executorch.extension.llm.runner`` (C++) and Android's ``LlmModule``
call: ``forward(tokens [1, n ≤ max_seq_len-1] int64, input_pos [1] int64) → logits [1, vocab]``
of the last token, plus ``get_max_seq_len``, ``get_max_context_len``, ``get_bos_id``,
``get_eos_ids`` (plural: the runner ignores a singular ``get_eos_id`` and never stops),
``get_vocab_size``, ``get_n_layers``, ``use_kv_cache``, ``use_sdpa_with_kv_cache`` and
``enable_dynamic_shape``.

This module knows nothing about tasks or definitions: it takes a :class:`DecoderExport` of plain
values (``ModelArgs`` fields, a state dict already in the Transformer's names, token ids).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.errors import ExportError
from sdkgen.export.base import ExportResult, path_size

QUANTIZATION_MODES = ("fp32", "8da4w", "8da8w", "gguf-q4")
RUNTIME_OPERATOR_LIBRARIES = (
    "executorch.extension.llm.custom_ops.custom_ops",  # llama::custom_sdpa, update_cache
    "executorch.kernels.quantized",  # quantized embedding ops
)


@dataclass(frozen=True)
class DecoderExport:
    model_args: dict[str, Any]  # ExecuTorch ModelArgs fields (dims, rope, max_seq_len, ...)
    state_dict: dict[str, Any]  # in the ExecuTorch Transformer's parameter names
    quantization: str  # one of QUANTIZATION_MODES
    group_size: int  # 8da4w weights per scale
    bos_id: int | None
    eos_ids: tuple[int, ...]
    artifact_path: Path
    provenance: dict[str, str] = field(default_factory=dict)
    # gguf-q4: the source's llama.cpp blocks by Transformer parameter name (see block_linears)
    blocks: Mapping[str, Any] = field(default_factory=dict)
    # quantised modes: channel-group masks per linear name (see activation_groups); empty: one
    # int8 scale per token, as XNNPACK quantises by itself
    activation_groups: Mapping[str, Any] = field(default_factory=dict)
    # quantised modes: input channels kept float per linear name (see outlier_channels); empty: none
    outlier_channels: Mapping[str, Any] = field(default_factory=dict)


def runner_metadata(request: DecoderExport) -> dict[str, Any]:
    """The constant methods ExecuTorch's C++ LLM runner reads (written into the ``.pte``)."""
    arguments = request.model_args
    metadata: dict[str, Any] = {
        "get_max_seq_len": int(arguments["max_seq_len"]),
        "get_max_context_len": int(arguments["max_context_len"]),
        "get_n_layers": int(arguments["n_layers"]),
        "get_vocab_size": int(arguments["vocab_size"]),
        "use_kv_cache": True,
        "use_sdpa_with_kv_cache": True,
        "enable_dynamic_shape": True,
        "get_eos_ids": [int(i) for i in request.eos_ids],
    }
    if request.bos_id is not None:
        metadata["get_bos_id"] = int(request.bos_id)
    return metadata


def build_transformer(model_args: dict[str, Any], state_dict: dict[str, Any],
                      *, export_ready: bool, full_logits: bool = False) -> Any:
    """ExecuTorch's llama Transformer holding ``state_dict`` (KV cache, dynamic prefill length).

    ``export_ready`` swaps in the custom SDPA op and its in-place KV cache (the exported form);
    without it the module is the same model in plain PyTorch (for checks). ``full_logits``
    computes every position's logits instead of the last one's (calibration).
    """
    from executorch.examples.models.llama.llama_transformer import construct_transformer
    from executorch.examples.models.llama.model_args import ModelArgs

    arguments = ModelArgs(**model_args, use_kv_cache=True, use_sdpa_with_kv_cache_op=export_ready,
                          enable_dynamic_shape=True, generate_full_logits=full_logits)
    model = construct_transformer(arguments)
    missing, unexpected = model.load_state_dict(state_dict, strict=False)
    weights_missing = [name for name in missing if name.endswith((".weight", ".bias"))]
    if weights_missing or unexpected:
        raise ExportError(f"the weights do not fit ExecuTorch's Transformer: missing "
                          f"{weights_missing[:4]}, unexpected {unexpected[:4]}")
    model.eval().requires_grad_(False)
    if export_ready:
        from executorch.examples.models.llama.source_transformation.custom_kv_cache import (
            replace_kv_cache_with_custom_kv_cache,
        )
        from executorch.examples.models.llama.source_transformation.sdpa import (
            replace_sdpa_with_custom_op,
        )

        model = replace_kv_cache_with_custom_kv_cache(replace_sdpa_with_custom_op(model))
    return model


def _quantize(model: Any, mode: str, group_size: int, blocks: Mapping[str, Any]) -> Any:
    if mode == "fp32":
        return model
    if mode == "gguf-q4":
        from sdkgen.export.block_linears import carry_blocks

        model, counts = carry_blocks(model, blocks)
        if not counts["four_bit_blocks"]:
            raise ExportError("gguf-q4 needs a GGUF source whose linear weights are Q4_0/Q4_1 "
                              "blocks; this model has none",
                              hint="use 8da4w for a float or otherwise quantised source")
        return model
    from executorch.examples.models.llama.source_transformation.quantize import (
        get_quant_weight_transform,
    )
    from executorch.extension.llm.export.builder import DType

    # 8da4w: int4 weights in groups along the input channels; 8da8w: int8 per output channel
    transform = get_quant_weight_transform(
        quantization_mode=mode, group_size=group_size if mode == "8da4w" else 0,
        computation_dtype=DType.fp32, checkpoint_dtype=DType.fp32,
    )
    return transform(model)


def export_decoder(request: DecoderExport) -> ExportResult:
    """Export, quantise, lower to XNNPACK and write the ``.pte`` with the runner's metadata."""
    import torch
    from executorch.extension.llm.export.builder import DType, LLMEdgeManager

    if request.quantization not in QUANTIZATION_MODES:
        raise ExportError(f"unknown quantization {request.quantization!r}; one of "
                          f"{', '.join(QUANTIZATION_MODES)}")
    try:
        from sdkgen.export.outlier_channels import float_columns, split_outliers

        model = build_transformer(request.model_args, request.state_dict, export_ready=True)
        quantised = request.quantization != "fp32"
        outliers = request.outlier_channels if quantised else {}
        weights = float_columns(model, outliers)  # before the weights are quantised
        model = _quantize(model, request.quantization, request.group_size, request.blocks)
        embedding: dict[str, Any] = {"bits": 32}
        if quantised:
            from sdkgen.export.quantized_embedding import quantize_embedding

            embedding = quantize_embedding(model)
        split = split_outliers(model, outliers, weights)
        grouped = 0
        if quantised and request.activation_groups:
            from sdkgen.export.activation_groups import group_activations

            grouped = group_activations(model, request.activation_groups)
        swapped = {"norms": 0, "rotary": 0}
        if quantised:  # after quantising: the swapped-in products stay float
            from sdkgen.export.delegable_ops import make_delegable

            swapped = make_delegable(model)
        max_seq_len = int(request.model_args["max_seq_len"])
        manager = LLMEdgeManager(
            model=model, modelname="sdkgen_decoder", max_seq_len=max_seq_len, use_kv_cache=True,
            example_inputs=(torch.tensor([[2, 3, 4]], dtype=torch.long),
                            {"input_pos": torch.tensor([0], dtype=torch.long)}),
            dtype=DType.fp32, enable_dynamic_shape=True, metadata=runner_metadata(request),
        )
        manager = manager.export()
        manager.run_canonical_optimizations()
        manager = manager.to_edge_transform_and_lower(xnnpack_partitioners())
        delegated, outside = _delegation(manager.edge_manager.exported_program())
        manager = manager.to_executorch()
        request.artifact_path.parent.mkdir(parents=True, exist_ok=True)
        with request.artifact_path.open("wb") as handle:
            manager.export_program.write_to_file(handle)
    except ExportError:
        raise
    except Exception as error:
        raise ExportError(
            f"ExecuTorch LLM export ({request.quantization}) failed: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}",
            hint="rerun with --traceback; the model's family must be one ExecuTorch's llama "
            "Transformer expresses",
        ) from error
    sidecar = request.artifact_path.with_name(request.artifact_path.name + ".json")
    sidecar.write_text(json.dumps(request.provenance, indent=2, sort_keys=True) + "\n")
    return ExportResult(
        backend="executorch", platform="android", artifact=request.artifact_path,
        size_bytes=path_size(request.artifact_path),
        details={"quantization": request.quantization, "grouped_linears": grouped,
                 "outlier_linears": split,
                 "delegable_norms_and_rotary": swapped,
                 "embedding": embedding,
                 "delegate_calls": delegated,
                 "ops_outside_delegate": outside, "runner_metadata": runner_metadata(request)},
    )


def xnnpack_partitioners() -> list[Any]:
    """The XNNPACK partitioners a decoder is lowered with: the general one alone.

    ExecuTorch's own LLM export first puts every dynamically quantised linear in a partition of
    its own (its dynamic-quantisation partitioner), then hands the rest to the general one. sdkgen
    does not: each partition runs XNNPACK's whole pass list at export and is a delegate call of
    its own at run time. Measured on SmolLM2 cut to 2 blocks (docs/text-generation.md,
    "Lowering"): 11 delegate calls instead of 24-26, the same teacher-forced agreement and decode
    speed, a gguf-q4 export in 128 s instead of 278 s; with activation groups the per-linear
    partitions would also split every grouped linear into three (SmolLM2's grouped export had not
    finished after 58 minutes that way). Every build runs each program in ExecuTorch's C++ runner
    and Python runtime.
    """
    from executorch.extension.llm.export.partitioner_lib import get_xnnpack_partitioner

    return [get_xnnpack_partitioner(dynamic_quant_only_partitioner=False)]


def _delegation(program: Any) -> tuple[int, dict[str, int]]:
    from collections import Counter

    calls = 0
    outside: Counter[str] = Counter()
    for node in program.graph_module.graph.nodes:
        if node.op != "call_function":
            continue
        name = getattr(node.target, "__name__", str(node.target))
        if "executorch_call_delegate" in name:
            calls += 1
        elif not any(marker in name for marker in ("getitem", "dim_order_ops.")):
            outside[name] += 1
    return calls, dict(sorted(outside.items()))


def load_runtime_operators() -> None:
    """Register the custom and quantised operators a decoder ``.pte`` needs in this process."""
    import importlib

    for module in RUNTIME_OPERATOR_LIBRARIES:
        importlib.import_module(module)
