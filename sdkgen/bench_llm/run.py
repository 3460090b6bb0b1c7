"""All rows of the language-model bench, each measured in a fresh process, gathered in one document."""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdkgen.bench_llm.engines import (
    LLAMA_CPP_CRASH_HINT,
    LLAMA_CPP_MISSING,
    Row,
    llama_cpp_installed,
)
from sdkgen.bench_llm.workload import make_workload
from sdkgen.errors import OutputError, SdkgenError

BENCH_LLM_SCHEMA_VERSION = 1
Progress = Callable[[str], None]


def _pte_record(path: Path) -> tuple[str, str]:
    """The quantisation the build recorded beside the ``.pte`` (``<file>.pte.json``) and the
    row's label with the channel options it was built with, e.g. ``.pte gguf-q4, 8 outlier
    channels``."""
    sidecar = path.with_name(path.name + ".json")
    if sidecar.is_file():
        recorded = json.loads(sidecar.read_text(encoding="utf-8"))
        mode = recorded.get("quantization")
        if isinstance(mode, str):
            options = [f"{recorded[key]} {words}" for key, words in
                       (("activation_groups", "activation groups"),
                        ("outlier_channels", "outlier channels")) if key in recorded]
            return mode, ".pte " + ", ".join([mode, *options])
    mode = path.stem.rsplit("-", maxsplit=1)[-1]
    return mode, f".pte {mode}"


def pte_artifacts(build_dir: Path) -> list[tuple[Path, str, str]]:
    """(``.pte``, quantisation, row label) of the build: the float one first, then the others
    by name."""
    artifacts = build_dir / "artifacts"
    found = [(p, *_pte_record(p)) for folder in (artifacts, artifacts / "variants")
             for p in sorted(folder.glob("*.pte"))]
    return sorted(found, key=lambda item: (item[1] != "fp32", item[0].name))


def gguf_mode(path: Path) -> str:
    """The GGUF's weight format (``general.file_type``, e.g. Q4_1)."""
    from gguf import GGUFReader, LlamaFileType

    field = GGUFReader(path).fields.get("general.file_type")
    if field is None:
        return "GGUF"
    return LlamaFileType(int(field.parts[-1][0])).name.removeprefix("MOSTLY_").removeprefix("ALL_")


def plan_rows(plan: Any, spec_path: Path, build_dir: Path, threads: tuple[int, ...],
              reference: Path) -> tuple[list[Row], list[str]]:
    """The rows to measure (eager at the first thread count first: it writes the reference) and
    the notes of engines that cannot run here."""
    parameters = int(plan.source.parameters) * 4
    engines: list[tuple[str, str, str, str, int]] = [
        ("eager", "eager PyTorch", str(spec_path), "float32", parameters)]
    engines += [("pte", label, str(path), mode, path.stat().st_size)
                for path, mode, label in pte_artifacts(build_dir)]
    notes = []
    if plan.source.kind != "gguf":
        notes.append("llama.cpp: not measured, the definition's source is not a GGUF file")
    elif not llama_cpp_installed():
        notes.append(LLAMA_CPP_MISSING)
    else:
        gguf = plan.source.path
        engines.append(("llamacpp", "llama.cpp", str(gguf), gguf_mode(gguf), gguf.stat().st_size))
    rows = [Row(engine=engine, label=label, artifact=artifact, mode=mode, size_bytes=size,
                threads=count, spec=str(spec_path), reference=str(reference),
                writes_reference=engine == "eager" and count == threads[0])
            for count in threads for engine, label, artifact, mode, size in engines]
    return rows, notes


def _ended(returncode: int) -> str:
    """How a row's process ended, by signal name when it was killed (e.g. SIGSEGV)."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit {returncode}"


def _run_worker(row: Row, workload_path: Path, folder: Path, index: int) -> dict[str, Any]:
    row_path, result_path = folder / f"row{index}.json", folder / f"result{index}.json"
    row_path.write_text(json.dumps(row.to_json()), encoding="utf-8")
    environment = {**os.environ, "OMP_NUM_THREADS": str(row.threads), "TQDM_DISABLE": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "sdkgen.bench_llm.worker", str(row_path), str(workload_path),
         str(result_path)],
        capture_output=True, text=True, check=False, env=environment,
    )
    if completed.returncode != 0 or not result_path.is_file():
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        raise SdkgenError(
            f"bench: {row.label} at {row.threads} thread(s) failed ({_ended(completed.returncode)}): "
            f"{lines[-1] if lines else 'no output'}",
            hint="the row's own output:\n" + "\n".join(lines[-20:]),
        )
    return dict(json.loads(result_path.read_text(encoding="utf-8")))


def _artifact_name(row: Row, build_dir: Path) -> str:
    path = Path(row.artifact)
    if row.engine == "pte":
        return path.relative_to(build_dir).as_posix()
    return path.name if row.engine == "llamacpp" else "float32 weights of the definition's source"


def _row_document(row: Row, result: dict[str, Any], build_dir: Path,
                  eager_ids: dict[int, list[int]]) -> dict[str, Any]:
    speed, quality = result["speed"], result["quality"]
    return {
        "label": row.label, "engine": row.engine, "runtime": result["runtime"],
        "runtime_version": result["runtime_version"], "artifact": _artifact_name(row, build_dir),
        "mode": row.mode, "size_bytes": row.size_bytes, "threads": row.threads,
        "load_s": result["load_s"], "ttft_ms": speed["ttft_ms"],
        "prefill_tokens_per_s": speed["prefill_tokens_per_s"],
        "decode_tokens_per_s": speed["decode_tokens_per_s"], "repeats": speed["repeats"],
        "greedy_ids_equal_eager": speed["ids"] == eager_ids.get(row.threads),
        "shipped": row.engine == "pte" and Path(row.artifact).parent == build_dir / "artifacts",
        "peak_rss_bytes": result["peak_rss_bytes"],
        "top1_agreement": quality["top1_agreement"], "top5_agreement": quality["top5_agreement"],
        "perplexity": quality["perplexity"], "scored_positions": quality["positions"],
        "note": result["quality_note"],
    }


def run_llm_bench(spec_path: Path, build_dir: Path, *, threads: tuple[int, ...], prefill: int,
                  decode_tokens: int, warmup: int, repeats: int, progress: Progress,
                  text_tokens: int | None = None) -> dict[str, Any]:
    """Measure every engine on the build of ``spec_path`` in ``build_dir`` at each thread count."""
    from sdkgen.llm.plan import make_generation_plan
    from sdkgen.llm.source import load_tokenizer
    from sdkgen.spec import load_spec

    if not (build_dir / "artifacts").is_dir():
        raise OutputError(
            f"{build_dir} holds no build (no artifacts/ folder)",
            hint=f"run `sdkgen build {spec_path} --out {build_dir}` first (a language model build "
            "takes minutes)",
        )
    loaded = load_spec(spec_path)
    plan = make_generation_plan(loaded)
    tokenizer = load_tokenizer(plan.spec, plan.base_dir)
    workload = make_workload(plan, tokenizer, prefill=prefill, decode_tokens=decode_tokens,
                             warmup=warmup, repeats=repeats, text_tokens=text_tokens)
    documents: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="sdkgen-bench-llm-") as temporary:
        folder = Path(temporary)
        rows, notes = plan_rows(plan, spec_path.resolve(), build_dir.resolve(), threads,
                                folder / "reference.npz")
        workload_path = folder / "workload.json"
        workload_path.write_text(json.dumps(workload.to_json()), encoding="utf-8")
        eager_ids: dict[int, list[int]] = {}
        for index, row in enumerate(rows):
            progress(f"bench: {row.label} at {row.threads} thread(s), in a fresh process")
            try:
                result = _run_worker(row, workload_path, folder, index)
            except SdkgenError as error:
                if row.engine != "llamacpp":
                    raise
                # the anchor is an optional extra built from source: its failure costs its row,
                # not the rows of sdkgen's own artifacts
                progress(str(error))
                notes.append(f"llama.cpp: not measured at {row.threads} thread(s), "
                             f"{error.message.removeprefix('bench: ')} ({LLAMA_CPP_CRASH_HINT})")
                continue
            if row.engine == "eager":
                eager_ids[row.threads] = result["speed"]["ids"]
            documents.append(_row_document(row, result, build_dir.resolve(), eager_ids))
    return {
        "bench_schema_version": BENCH_LLM_SCHEMA_VERSION, "task": "text-generation",
        "model": plan.display_name,
        "workload": {"prompt_tokens": len(workload.prompt_ids), "decode_tokens": decode_tokens,
                     "prompt_text": workload.prompt_text, "warmup": warmup, "repeats": repeats,
                     "text": workload.text_source, "text_tokens": len(workload.text_tokens),
                     "text_window": workload.text_window},
        "thread_counts": list(threads),
        "host": {"system": platform.system(), "machine": platform.machine(),
                 "cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
        "rows": documents,
        "notes": notes,
    }
