"""Run one small module the way a decoder ``.pte`` runs it: exported with a dynamic token count
(dimension 1 of its input), lowered with sdkgen's XNNPACK partitioner, executed by the ExecuTorch
runtime. Nothing may stay outside the delegate."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def run_lowered(model: Any, x: Any, path: Path) -> Any:
    """The runtime's output of ``model(x)``, written to ``path`` as a ``.pte`` on the way."""
    import torch
    from executorch.exir import to_edge_transform_and_lower
    from executorch.runtime import Runtime

    from sdkgen.export.executorch_llm import xnnpack_partitioners

    tokens = torch.export.Dim("tokens", min=1, max=64)
    program = torch.export.export(model, (x,), dynamic_shapes=({1: tokens},))
    edge = to_edge_transform_and_lower(program, partitioner=xnnpack_partitioners())
    outside = [n.target for n in edge.exported_program().graph_module.graph.nodes
               if n.op == "call_function" and "delegate" not in str(n.target)
               and "getitem" not in str(n.target)]
    assert outside == [], outside
    path.write_bytes(edge.to_executorch().buffer)
    method = Runtime.get().load_program(str(path)).load_method("forward")
    [result] = method.execute((x,))
    return result
