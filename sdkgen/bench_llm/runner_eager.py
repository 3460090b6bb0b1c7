"""Eager PyTorch (``transformers``, float32, its own KV cache): the reference row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdkgen.bench_llm.engines import Row
from sdkgen.bench_llm.workload import Workload
from sdkgen.llm.evaluate import EagerDecoder

RUNTIME = "PyTorch (eager)"


def runtime_version() -> str:
    import torch

    return f"torch {torch.__version__}"


def load_model(row: Row) -> Any:
    from sdkgen.llm.source import load_eager
    from sdkgen.spec import load_spec

    loaded = load_spec(Path(row.spec))
    return load_eager(loaded.spec, loaded.base_dir)


def open_decoder(row: Row, workload: Workload) -> EagerDecoder:
    import torch

    torch.set_num_threads(row.threads)
    return EagerDecoder(load_model(row))
