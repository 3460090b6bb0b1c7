"""``sdkgen bench``: load time, latency, planned memory, size and accuracy of every built artifact.

Figures are measured in one process, one runtime at a time, with one fixed thread count for
ExecuTorch and PyTorch (set once, before any program is loaded: ExecuTorch cannot resize its thread
pool after that). Eager PyTorch runs on the same inputs in the same run, as the reference.
Core ML prediction needs macOS: on other hosts Core ML artifacts get size and weight statistics,
and their latency and accuracy are reported as not measured, never estimated.

Signatures used (executorch 1.5.1, from the installed package):
``executorch/extension/pybindings/pybindings.pyi``: ``_unsafe_reset_threadpool(num_threads: int)``,
``_threadpool_get_thread_count() -> int``; ``executorch/exir/_serialize/_program.py``:
``deserialize_pte_binary(program_data: bytes) -> PTEFile`` (``.program.execution_plan``).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.compression.metrics import flips_cell
from sdkgen.executorch_threads import executorch_threads
from sdkgen.spec import LoadedSpec

BENCH_SCHEMA_VERSION = 2  # 2: LiteRT rows, latency_by_threads
_threads_set: int | None = None


def set_threads(threads: int) -> None:
    """Fix the ExecuTorch and PyTorch thread counts; call once, before loading any ``.pte``."""
    global _threads_set  # noqa: PLW0603  (the ExecuTorch pool is process-wide too)
    import torch

    if _threads_set == threads:
        return
    if _threads_set is not None:
        raise RuntimeError("the ExecuTorch thread count can be set only once per process")
    executorch_threads(threads)
    torch.set_num_threads(threads)
    _threads_set = threads


def _summary(seconds: list[float]) -> dict[str, float]:
    milliseconds = np.asarray(seconds) * 1e3
    return {"median_ms": round(float(np.median(milliseconds)), 4),
            "p90_ms": round(float(np.percentile(milliseconds, 90)), 4),
            "min_ms": round(float(milliseconds.min()), 4), "runs": len(seconds)}


def _timed(run: Callable[[], object], *, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def time_pte(
    path: Path, sample: tuple[np.ndarray, ...], *, runs: int, warmup: int
) -> dict[str, float]:
    """Load time and latency of ``forward`` of a ``.pte`` in the ExecuTorch runtime."""
    import torch
    from executorch.runtime import Runtime

    start = time.perf_counter()
    method = Runtime.get().load_program(path).load_method("forward")
    load_ms = (time.perf_counter() - start) * 1e3
    tensors = [torch.from_numpy(np.ascontiguousarray(x)) for x in sample]
    summary = _summary(_timed(lambda: method.execute(tensors), runs=runs, warmup=warmup))
    return {"load_ms": round(load_ms, 3), **summary}


def time_tflite(
    path: Path, sample: tuple[np.ndarray, ...], *, runs: int, warmup: int, threads: int
) -> dict[str, float]:
    """Load time and latency of a ``.tflite`` in the LiteRT interpreter with ``threads`` threads."""
    from sdkgen.export.litert import invoke, load_interpreter

    start = time.perf_counter()
    interpreter = load_interpreter(path, threads=threads)
    load_ms = (time.perf_counter() - start) * 1e3
    summary = _summary(_timed(lambda: invoke(interpreter, sample), runs=runs, warmup=warmup))
    return {"load_ms": round(load_ms, 3), **summary}


def time_eager(module: Any, sample: tuple[np.ndarray, ...], *, runs: int, warmup: int) -> dict[str, float]:
    import torch

    tensors = tuple(torch.from_numpy(np.ascontiguousarray(x)) for x in sample)

    def run() -> None:
        with torch.no_grad():
            module(*tensors)

    return _summary(_timed(run, runs=runs, warmup=warmup))


def planned_memory_bytes(path: Path) -> int:
    """Planned (arena) memory of ``forward`` in a ``.pte``: its non-constant buffers."""
    from executorch.exir._serialize._program import deserialize_pte_binary

    program = deserialize_pte_binary(path.read_bytes()).program
    return int(sum(program.execution_plan[0].non_const_buffer_sizes[1:]))


def _mode(path: Path, float_mode: str) -> str:
    parts = path.name.split(".")
    return parts[-2] if len(parts) > 2 else float_mode


def _artifacts(build_dir: Path, suffix: str) -> list[Path]:
    artifacts = build_dir / "artifacts"
    return [path for folder in (artifacts, artifacts / "compare", artifacts / "variants")
            for path in sorted(folder.glob(f"*{suffix}"))]


def _android_artifacts(build_dir: Path) -> list[tuple[Path, str]]:
    """(artifact, runtime) of every Android artifact: .pte files first, then .tflite files."""
    return ([(path, "executorch") for path in _artifacts(build_dir, ".pte")]
            + [(path, "litert") for path in _artifacts(build_dir, ".tflite")])


def _time_artifact(
    path: Path, runtime: str, sample: tuple[np.ndarray, ...], *, runs: int, warmup: int,
    threads: int,
) -> dict[str, float]:
    if runtime == "litert":
        return time_tflite(path, sample, runs=runs, warmup=warmup, threads=threads)
    return time_pte(path, sample, runs=runs, warmup=warmup)


def _run_artifact(path: Path, runtime: str, inputs: list[tuple[np.ndarray, ...]]) -> list[Any]:
    if runtime == "litert":
        from sdkgen.export.litert import run_tflite

        return run_tflite(path, inputs)
    from sdkgen.verify import run_pte

    return run_pte(path, inputs)


def _evaluation(loaded: LoadedSpec, sdk: Any) -> Any:
    from sdkgen.compression.data import Samples, load_samples
    from sdkgen.examples_source import raw_cases
    from sdkgen.golden import preprocess

    compression = loaded.spec.compression
    if compression is not None:
        return load_samples(loaded, sdk, compression.evaluation, field="compression.evaluation",
                            with_labels=True)
    features = [i.feature_name for i in sdk.inputs]
    inputs = tuple(tuple(preprocess(sdk, case)[f] for f in features) for case in raw_cases(loaded))
    return Samples(inputs, None, f"{len(inputs)} golden examples (no compression section)")


def _core_ml_statistics(build_dir: Path) -> dict[str, dict[str, Any]]:
    report = build_dir / "report.json"
    if not report.is_file():
        return {}
    document = json.loads(report.read_text(encoding="utf-8"))
    compression = document.get("compression") or {}
    return {v["file"]: v.get("details", {}) for v in compression.get("variants", [])}


def latencies_at_threads(
    spec_path: Path, build_dir: Path, *, platforms: tuple[str, ...], runs: int, warmup: int,
    threads: int,
) -> dict[str, dict[str, float]]:
    """Latency of eager PyTorch and every Android artifact at ``threads`` threads (artifact → figures).

    Meant for a fresh process (see :func:`_latencies_in_subprocess`): the ExecuTorch thread pool
    is sized once per process.
    """
    from sdkgen import loading
    from sdkgen.examples_source import raw_cases
    from sdkgen.export.litert import litert_available
    from sdkgen.plan import make_plan, with_cases
    from sdkgen.spec import load_spec
    from sdkgen.version import tool_versions

    set_threads(threads)
    loaded = load_spec(spec_path)
    model = loading.load_model(loaded)
    probe = loading.run_eager(model, model.example_inputs)
    plan = make_plan(loaded, output_shapes=[tuple(o.shape) for o in probe], versions=tool_versions())
    sdk = with_cases(plan, tuple(c.name for c in raw_cases(loaded, plan)))
    sample = _evaluation(loaded, sdk).inputs[0]
    figures = {"eager PyTorch": time_eager(model.module, sample, runs=runs, warmup=warmup)}
    if "android" in platforms:
        for path, runtime in _android_artifacts(build_dir):
            if runtime == "litert" and not litert_available():
                continue
            timing = _time_artifact(path, runtime, sample, runs=runs, warmup=warmup, threads=threads)
            timing.pop("load_ms")
            figures[path.relative_to(build_dir).as_posix()] = timing
    return figures


def _latencies_in_subprocess(
    spec_path: Path, build_dir: Path, *, platforms: tuple[str, ...], runs: int, warmup: int,
    threads: int,
) -> dict[str, dict[str, float]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(latencies_at_threads, spec_path, build_dir, platforms=platforms,
                           runs=runs, warmup=warmup, threads=threads).result()


def run_bench(
    spec_path: Path, build_dir: Path, *, platforms: tuple[str, ...], runs: int, warmup: int,
    threads: int, progress: Callable[[str], None], extra_threads: tuple[int, ...] = (),
) -> dict[str, Any]:
    """Measure every artifact in ``build_dir`` built from ``spec_path``, and eager PyTorch.

    Every figure is taken at ``threads`` threads; ``extra_threads`` adds the latencies at other
    thread counts, each measured in a fresh process after this one's measurements.
    """
    import torch

    from sdkgen import loading
    from sdkgen.compression.metrics import measure
    from sdkgen.compression.stage import CORE_ML_NOT_MEASURED
    from sdkgen.examples_source import raw_cases
    from sdkgen.export.base import path_size
    from sdkgen.export.litert import litert_available
    from sdkgen.plan import make_plan, with_cases
    from sdkgen.spec import load_spec
    from sdkgen.version import tool_versions

    set_threads(threads)
    loaded = load_spec(spec_path)
    start = time.perf_counter()
    model = loading.load_model(loaded)
    eager_load_ms = (time.perf_counter() - start) * 1e3
    probe = loading.run_eager(model, model.example_inputs)
    plan = make_plan(loaded, output_shapes=[tuple(o.shape) for o in probe], versions=tool_versions())
    sdk = with_cases(plan, tuple(c.name for c in raw_cases(loaded, plan)))
    samples = _evaluation(loaded, sdk)
    from sdkgen.compression.stage import _scored_output

    index, classification = _scored_output(loaded)
    progress(f"bench: eager PyTorch on {samples.description}")
    reference = [loading.run_eager(model, tuple(torch.from_numpy(x) for x in s))[index]
                 for s in samples.inputs]
    parameters = sum(p.numel() * p.element_size() for p in model.module.parameters())
    rows: list[dict[str, Any]] = [{
        "artifact": "eager PyTorch", "platform": "host", "runtime": f"torch {torch.__version__}",
        "mode": "float32", "size_bytes": int(parameters), "load_ms": round(eager_load_ms, 3),
        "latency": time_eager(model.module, samples.inputs[0], runs=runs, warmup=warmup),
        "planned_memory_bytes": None,
        "accuracy": measure(reference, reference, classification=classification,
                            labels=samples.labels).to_json(),
        "note": "size: parameter bytes; load: building the module and loading its weights",
    }]
    if "android" in platforms:
        for path, runtime in _android_artifacts(build_dir):
            relative = path.relative_to(build_dir).as_posix()
            if runtime == "litert" and not litert_available():
                rows.append({
                    "artifact": relative, "platform": "android", "runtime": "LiteRT",
                    "mode": _mode(path, "float32"), "size_bytes": path.stat().st_size,
                    "load_ms": None, "latency": None, "planned_memory_bytes": None,
                    "accuracy": None, "note": "LiteRT is not installed here: not measured",
                })
                continue
            progress(f"bench: {path.name}")
            timing = _time_artifact(path, runtime, samples.inputs[0], runs=runs, warmup=warmup,
                                    threads=threads)
            outputs = [o[index] for o in _run_artifact(path, runtime, list(samples.inputs))]
            rows.append({
                "artifact": relative, "platform": "android",
                "runtime": "LiteRT (XNNPACK)" if runtime == "litert" else "ExecuTorch (XNNPACK)",
                "mode": _mode(path, "float32"),
                "size_bytes": path.stat().st_size, "load_ms": timing.pop("load_ms"),
                "latency": timing,
                "planned_memory_bytes": planned_memory_bytes(path) if runtime == "executorch" else None,
                "accuracy": measure(reference, outputs, classification=classification,
                                    labels=samples.labels).to_json(),
                "note": "",
            })
    if "ios" in platforms:
        weights = _core_ml_statistics(build_dir)
        for path in _artifacts(build_dir, ".mlpackage"):
            relative = path.relative_to(build_dir).as_posix()
            rows.append({
                "artifact": relative, "platform": "ios", "runtime": "Core ML",
                "mode": _mode(path, loaded.spec.platforms.ios.precision),
                "size_bytes": path_size(path), "load_ms": None, "latency": None,
                "planned_memory_bytes": None, "accuracy": None,
                "weights": weights.get(relative, {}).get("weights"),
                "note": CORE_ML_NOT_MEASURED.format(system=platform.system()),
            })
    for row in rows:
        row["latency_by_threads"] = {str(threads): row["latency"]} if row["latency"] else {}
    for count in extra_threads:
        progress(f"bench: latencies at {count} thread(s), in a fresh process")
        figures = _latencies_in_subprocess(spec_path, build_dir, platforms=platforms, runs=runs,
                                           warmup=warmup, threads=count)
        for row in rows:
            if row["artifact"] in figures:
                row["latency_by_threads"][str(count)] = figures[row["artifact"]]
    budget = loaded.spec.compression.accuracy_budget if loaded.spec.compression else None
    return {
        "bench_schema_version": BENCH_SCHEMA_VERSION, "model": loaded.spec.name,
        "picks": _budget_picks(rows, budget.max_top1_agreement_drop) if budget is not None else {},
        "build_dir": str(build_dir), "evaluation": samples.description,
        "settings": {"runs": runs, "warmup": warmup, "threads": threads,
                     "thread_counts": [threads, *extra_threads]},
        "host": {"system": platform.system(), "machine": platform.machine(),
                 "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
        "rows": rows,
    }


def _budget_picks(rows: list[dict[str, Any]], max_drop: float) -> dict[str, str]:
    """Per Android runtime, the fastest artifact (first thread count) within the top-1 budget."""
    picks: dict[str, str] = {}
    for runtime in ("ExecuTorch (XNNPACK)", "LiteRT (XNNPACK)"):
        within = [
            r for r in rows
            if r["runtime"] == runtime and r["latency"] and r["accuracy"]
            and r["accuracy"]["top1_agreement"] is not None
            and 1 - r["accuracy"]["top1_agreement"] <= max_drop + 1e-9
        ]
        if within:
            best = min(within, key=lambda r: (r["latency"]["median_ms"], r["size_bytes"]))
            picks[runtime] = best["artifact"]
    return picks


def _cell(value: float | None, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


def _bytes(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / 1e6:.2f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def markdown_table(document: dict[str, Any]) -> str:
    """The bench figures as one Markdown table (accuracy figures are fractions of samples)."""
    settings, host = document["settings"], document["host"]
    counts = settings.get("thread_counts", [settings["threads"]])
    lines = [
        f"{document['model']}: {settings['runs']} runs after {settings['warmup']} warm-up, "
        f"{', '.join(map(str, counts))} thread(s), {host['machine']} ({host['cpus']} CPUs), "
        f"load average {host['load_average_1m']}; evaluation: {document['evaluation']}",
        "",
        "| artifact | runtime | mode | size | load ms | "
        + "".join(f"median ms ({count} thr) | " for count in counts)
        + "p90 ms | planned memory | top-1 agreement | flips (float margin ≤, samples) | "
        "top-5 agreement | accuracy |",
        "|---|---|---|---|---|" + "---|" * len(counts) + "---|---|---|---|---|---|",
    ]
    for row in document["rows"]:
        latency, accuracy = row["latency"] or {}, row["accuracy"] or {}
        by_threads = row.get("latency_by_threads") or {}
        medians = "".join(
            f"{_cell((by_threads.get(str(count)) or {}).get('median_ms'), '{:.3f}')} | "
            for count in counts
        )
        memory = row["planned_memory_bytes"]
        lines.append(
            f"| {row['artifact']} | {row['runtime']} | {row['mode']} | {_bytes(row['size_bytes'])} | "
            f"{_cell(row['load_ms'], '{:.1f}')} | {medians}"
            f"{_cell(latency.get('p90_ms'), '{:.3f}')} | "
            f"{_bytes(memory)} | "
            f"{_cell(accuracy.get('top1_agreement'), '{:.4f}')} | {flips_cell(accuracy)} | "
            f"{_cell(accuracy.get('top5_agreement'), '{:.4f}')} | "
            f"{_cell(accuracy.get('accuracy'), '{:.4f}')} |"
        )
    notes = sorted({f"{row['runtime'].split(' (')[0]}: {row['note']}" for row in document["rows"]
                    if row["platform"] != "host" and row["note"]})
    lines += ["", "Planned memory: the ExecuTorch arena of `forward` (inputs, outputs, non-delegated "
              "intermediates); XNNPACK allocates its own workspace for delegated ops, not counted. "
              f"p90 at {settings['threads']} thread(s).", *notes]
    for runtime, artifact in sorted(document.get("picks", {}).items()):
        lines.append(f"Budget pick ({runtime}, fastest within the top-1 budget at "
                     f"{settings['threads']} thread(s)): {artifact}")
    for row in document["rows"]:
        if row.get("weights"):
            w = row["weights"]
            lines.append(f"- {row['artifact']}: weights relative L2 error {w['relative_l2_error']:.4f},"
                         f" sparsity {w['sparsity']:.4f} ({w['tensors_compressed']}/"
                         f"{w['tensors_total']} tensors compressed)")
            short = w.get("tensors_short_of_target_sparsity") or []
            if short:
                lines.append(f"  - {len(short)} tensors stayed below the target sparsity")
    return "\n".join(lines) + "\n"


def plot(document: dict[str, Any], path: Path) -> None:
    """PNG: size vs top-1 agreement (marker area ∝ latency) and size vs latency per artifact."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(12, 4.5))
    for number, row in enumerate(document["rows"]):
        size = row["size_bytes"] / 1e6
        offset = {"xytext": (4, -10 * (number % 3)), "textcoords": "offset points", "fontsize": 7}
        latency = (row["latency"] or {}).get("median_ms")
        agreement = (row["accuracy"] or {}).get("top1_agreement")
        label = f"{row['mode']} ({row['platform']})"
        if agreement is not None:
            left.scatter(size, agreement, s=40 + 20 * (latency or 0))
            left.annotate(f"{label}, {latency:.2f} ms" if latency else label, (size, agreement),
                          **offset)
        if latency is not None:
            right.scatter(size, latency)
            right.annotate(label, (size, latency), **offset)
        else:
            right.axvline(size, linestyle=":", linewidth=0.8, color="grey")
            right.annotate(f"{label}: not measured on this host", (size, 0.98),
                           xycoords=("data", "axes fraction"), rotation=90, fontsize=6, va="top")
    left.set(xlabel="size (MB)", ylabel="top-1 agreement with eager float",
             title="size vs accuracy (marker area ∝ latency)")
    right.set(xlabel="size (MB)", ylabel="median latency (ms)", title="size vs latency")
    settings = document["settings"]
    figure.suptitle(f"{document['model']}: {settings['threads']} thread(s), "
                    f"{settings['runs']} runs, load average {document['host']['load_average_1m']}")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", dpi=110)
    plt.close(figure)


__all__ = ["markdown_table", "plot", "run_bench", "set_threads"]
