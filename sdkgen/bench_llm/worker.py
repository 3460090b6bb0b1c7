"""One bench row in its own process: ``python -m sdkgen.bench_llm.worker ROW WORKLOAD RESULT``.

Order: set the thread count and load (the runner), time the generations, read the peak resident
memory (load and generation, before any scoring), then score the teacher-forced text against
float eager's predictions (or, for the reference row, compute them and save them for the others).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.bench_llm.engines import Row, runner
from sdkgen.bench_llm.timing import measure, peak_rss_bytes
from sdkgen.bench_llm.workload import Workload
from sdkgen.llm import evaluate


def _reference(row: Row, workload: Workload, decoder: Any) -> evaluate.Agreement:
    """Float eager's teacher-forced predictions, written to ``row.reference`` for the other rows."""
    teacher, figures = evaluate.teacher_forced_reference(decoder, workload.text_tokens,
                                                         workload.text_window)
    np.savez(row.reference, top1=teacher.top1, nll=teacher.nll)
    return figures


def read_reference(row: Row, workload: Workload) -> evaluate.TeacherForced:
    saved = np.load(row.reference)
    return evaluate.TeacherForced(evaluate.windows_of(workload.text_tokens, workload.text_window),
                                  saved["top1"], saved["nll"])


def _quality(row: Row, workload: Workload, decoder: Any) -> tuple[dict[str, Any], str]:
    if row.writes_reference:
        return _reference(row, workload, decoder).to_json(), "reference (float eager)"
    reference = read_reference(row, workload)
    if row.engine == "eager":  # the same float model: its figures are the reference's
        figures = evaluate.Agreement(row.label, len(reference.top1), 1.0, 1.0,
                                     math.exp(float(np.mean(reference.nll))))
        return figures.to_json(), "reference (float eager)"
    return evaluate.teacher_forced(row.label, decoder, reference).to_json(), ""


def run_row(row: Row, workload: Workload) -> dict[str, Any]:
    module = runner(row.engine)
    started = time.perf_counter()
    decoder = module.open_decoder(row, workload)
    load_s = time.perf_counter() - started
    speed = measure(decoder, workload.prompt_ids, workload.decode_tokens, warmup=workload.warmup,
                    repeats=workload.repeats)
    peak = peak_rss_bytes()
    quality, note = _quality(row, workload, decoder)
    return {"runtime": module.RUNTIME, "runtime_version": module.runtime_version(),
            "load_s": round(load_s, 2), "speed": speed.to_json(), "peak_rss_bytes": peak,
            "quality": quality, "quality_note": note}


def main(arguments: list[str]) -> None:
    row_path, workload_path, result_path = (Path(a) for a in arguments)
    result = run_row(Row.read(row_path), Workload.read(workload_path))
    result_path.write_text(json.dumps(result, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
