"""Android backend: torch.export → to_edge_transform_and_lower(XNNPACK) → .pte."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sdkgen.errors import ExportError
from sdkgen.export.base import (
    Backend,
    ExportRequest,
    ExportResult,
    capture_program,
    path_size,
    register_backend,
)
from sdkgen.export.xnnpack_patterns import unmatchable_patterns_skipped
from sdkgen.verify import verify_executorch

# Delegate calls, tuple unpacking, and the memory-format copies ExecuTorch inserts around them are
# not the model's ops.
_BOOKKEEPING_TARGETS = ("executorch_call_delegate", "getitem", "dim_order_ops.")


def _ops_outside_delegate(edge_program: Any) -> dict[str, int]:
    """Operator → count of call_function nodes the XNNPACK partitioner left on the portable path."""
    counts: Counter[str] = Counter()
    for node in edge_program.graph_module.graph.nodes:
        if node.op != "call_function":
            continue
        name = getattr(node.target, "__name__", str(node.target))
        if any(marker in name for marker in _BOOKKEEPING_TARGETS):
            continue
        counts[name] += 1
    return dict(sorted(counts.items()))


def _delegate_calls(edge_program: Any) -> int:
    return sum(
        1 for node in edge_program.graph_module.graph.nodes
        if node.op == "call_function" and "executorch_call_delegate" in str(node.target)
    )


def _planned_memory_bytes(executorch_manager: Any) -> int:
    """Planned (arena) memory of ``forward``: the sum of its non-constant buffers."""
    plan = executorch_manager.executorch_program.execution_plan[0]
    # index 0 is reserved for constants and is always 0
    return int(sum(plan.non_const_buffer_sizes[1:]))


def _sidecar(request: ExportRequest) -> Path:
    return request.artifact_path.with_name(request.artifact_path.name + ".json")


def write_provenance(request: ExportRequest) -> Path:
    """A .pte has no free-form metadata: provenance goes into a JSON sidecar next to it."""
    sidecar = _sidecar(request)
    sidecar.write_text(json.dumps(request.provenance, indent=2, sort_keys=True) + "\n")
    return sidecar


def refresh_executorch(request: ExportRequest) -> None:
    """A cached .pte holds no metadata: only its provenance sidecar is written again."""
    write_provenance(request)


def export_executorch(request: ExportRequest) -> ExportResult:
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower

    program = capture_program(request, for_backend="ExecuTorch")
    try:
        with unmatchable_patterns_skipped():
            edge = to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()])
        outside = _ops_outside_delegate(edge.exported_program())
        delegate_calls = _delegate_calls(edge.exported_program())
        executorch_manager = edge.to_executorch()
    except Exception as error:
        raise ExportError(
            f"ExecuTorch lowering failed: {type(error).__name__}: {str(error).splitlines()[0]}",
            hint="run with --traceback for the full error; an op without an ExecuTorch kernel "
            "must be rewritten with supported ops",
        ) from error
    request.artifact_path.parent.mkdir(parents=True, exist_ok=True)
    request.artifact_path.write_bytes(executorch_manager.buffer)
    sidecar = write_provenance(request)
    warnings = ()
    if outside:
        warnings = (
            "ExecuTorch: XNNPACK left these ops on the portable (non-delegated) path, which is "
            f"slower: {', '.join(f'{op} ×{n}' for op, n in outside.items())}",
        )
    return ExportResult(
        backend="executorch",
        platform="android",
        artifact=request.artifact_path,
        size_bytes=path_size(request.artifact_path),
        details={
            "delegate": "XnnpackBackend",
            "delegate_calls": delegate_calls,
            "ops_outside_delegate": outside,
            "planned_memory_bytes": _planned_memory_bytes(executorch_manager),
            "provenance_sidecar": sidecar.name,
        },
        warnings=warnings,
    )


register_backend(
    Backend(name="executorch", platform="android", artifact_suffix=".pte", export=export_executorch,
            refresh=refresh_executorch, verify=verify_executorch, default=True)
)
