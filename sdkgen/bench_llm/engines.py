"""The engines a row can run, each in its own runner module, imported only by the row that uses it
(the llama.cpp row never imports torch, so its peak memory is llama.cpp's own).

A runner module defines ``RUNTIME`` (a label), ``runtime_version() -> str`` and
``open_decoder(row, workload) -> Decoder``: it sets the thread count of its runtime before loading
anything, then returns a decoder with ``reset()`` and ``step(tokens, position) -> logits``
(:class:`sdkgen.llm.evaluate.Decoder`).
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

RUNNERS = {
    "eager": "sdkgen.bench_llm.runner_eager",
    "pte": "sdkgen.bench_llm.runner_pte",
    "llamacpp": "sdkgen.bench_llm.runner_llamacpp",
}
LLAMA_CPP_EXTRA = "bench-llamacpp"
LLAMA_CPP_MISSING = f"llama.cpp: not installed (pip install sdkgen[{LLAMA_CPP_EXTRA}])"
LLAMA_CPP_CRASH_HINT = ("how to build llama-cpp-python for a CPU whose AMX kernels crash: "
                        "docs/text-generation.md, Benchmark")


@dataclass(frozen=True)
class Row:
    """One measurement: an engine on an artifact at a thread count (plain values: sent as JSON)."""

    engine: str  # a key of RUNNERS
    label: str  # what the table shows, e.g. ".pte 8da4w"
    artifact: str  # what it loads: the definition (eager), a .pte, a .gguf
    mode: str  # float32, fp32, 8da4w, Q4_1, ...
    size_bytes: int
    threads: int
    spec: str  # the definition (eager loads the model from it)
    reference: str  # .npz of float eager's teacher-forced predictions
    writes_reference: bool  # this row computes the reference (eager, the first thread count)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def read(path: Path) -> Row:
        return Row(**json.loads(path.read_text(encoding="utf-8")))


def runner(engine: str) -> ModuleType:
    return importlib.import_module(RUNNERS[engine])


def llama_cpp_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("llama_cpp") is not None
