"""A decoder ``.pte`` in the ExecuTorch Python runtime (XNNPACK), as the build verified it."""

from __future__ import annotations

from pathlib import Path

from sdkgen.bench_llm.engines import Row
from sdkgen.bench_llm.workload import Workload
from sdkgen.executorch_threads import executorch_threads
from sdkgen.llm.evaluate import PteDecoder

RUNTIME = "ExecuTorch (XNNPACK)"


def runtime_version() -> str:
    from importlib.metadata import version

    return f"executorch {version('executorch')}"


def open_decoder(row: Row, workload: Workload) -> PteDecoder:
    import torch

    # the pool is sized once per process, before any program is loaded
    executorch_threads(row.threads)
    torch.set_num_threads(row.threads)
    return PteDecoder(Path(row.artifact))
