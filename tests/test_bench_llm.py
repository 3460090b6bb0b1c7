"""``sdkgen bench`` of a text-generation build: the session's tiny random-weight Qwen3 build (a float
and an 8da4w ``.pte``), benched at 1 and 2 threads. Structure and consistency of the figures, never their
speed. The bench runs in a subprocess (each row then in its own)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sdkgen.bench_llm.engines import LLAMA_CPP_MISSING
from sdkgen.bench_llm.table import markdown_table
from sdkgen.llm.evaluate import windows_of

PREFILL, DECODE = 40, 6
# the row of the 8da4w variant names the channel options it was built with (its sidecar)
QUANTISED = ".pte 8da4w, 4 activation groups, 2 outlier channels"


@pytest.fixture(scope="module")
def built(tiny_generation_build: Any) -> tuple[Path, Path]:
    """The session's tiny Qwen3 build (conftest): a float .pte (shipped) and an 8da4w variant."""
    return tiny_generation_build.spec, tiny_generation_build.out


def _bench(spec: Path, build: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", "bench", str(spec), "--build", str(build),
         "--runs", "2", "--warmup", "1", "--prefill", str(PREFILL), "--decode-tokens",
         str(DECODE), *extra],
        capture_output=True, text=True, check=False, timeout=600,
    )


@pytest.fixture(scope="module")
def bench_document(built: tuple[Path, Path]) -> dict[str, Any]:
    completed = _bench(*built, "--threads", "1", "--threads", "2", "--json")
    assert completed.returncode == 0, completed.stderr[-3000:]
    return dict(json.loads(completed.stdout)["bench"])


def test_every_engine_is_measured_at_each_thread_count(bench_document: dict[str, Any]) -> None:
    rows = bench_document["rows"]
    assert [(r["label"], r["threads"]) for r in rows] == [
        ("eager PyTorch", 1), (".pte fp32", 1), (QUANTISED, 1),
        ("eager PyTorch", 2), (".pte fp32", 2), (QUANTISED, 2),
    ]
    assert rows[1]["artifact"] == "artifacts/" + Path(rows[1]["artifact"]).name  # shipped
    assert rows[2]["artifact"].startswith("artifacts/variants/")
    assert [r["shipped"] for r in rows] == [False, True, False] * 2
    for row in rows:
        assert row["ttft_ms"] > 0 and row["prefill_tokens_per_s"] > 0
        assert row["decode_tokens_per_s"] > 0 and len(row["repeats"]) == 2
        assert row["peak_rss_bytes"] > 50e6  # a Python process with torch loaded
    workload = bench_document["workload"]
    windows = windows_of(range(workload["text_tokens"]), workload["text_window"])
    assert {r["scored_positions"] for r in rows} == {sum(len(w) - 1 for w in windows)}
    assert PREFILL - 12 <= workload["prompt_tokens"] <= PREFILL
    assert workload["decode_tokens"] == DECODE
    assert workload["prompt_text"].startswith("Summarise this text")


def test_float_rows_agree_with_eager_and_quantised_ones_are_measured(
    bench_document: dict[str, Any],
) -> None:
    by_label = {(r["label"], r["threads"]): r for r in bench_document["rows"]}
    for threads in (1, 2):
        eager, float_pte = by_label["eager PyTorch", threads], by_label[".pte fp32", threads]
        assert eager["top1_agreement"] == eager["top5_agreement"] == 1.0
        assert eager["note"] == "reference (float eager)"
        # the float .pte decodes eager's ids token for token and scores the text as eager does
        assert float_pte["greedy_ids_equal_eager"] is True
        assert float_pte["top1_agreement"] == 1.0
        assert float_pte["perplexity"] == pytest.approx(eager["perplexity"], rel=1e-3)
        quantised = by_label[QUANTISED, threads]
        assert 0 < quantised["top1_agreement"] <= quantised["top5_agreement"] <= 1
        assert quantised["size_bytes"] < float_pte["size_bytes"]


def test_llama_cpp_is_named_even_when_it_cannot_run(bench_document: dict[str, Any]) -> None:
    # the tiny model is a Hugging Face folder: llama.cpp has no GGUF to read
    assert bench_document["notes"] == [
        "llama.cpp: not measured, the definition's source is not a GGUF file"]
    table = markdown_table(bench_document)
    assert f"| {QUANTISED} | 8da4w | 2 |" in table
    assert table.rstrip().endswith("source is not a GGUF file")


def test_a_missing_build_and_a_prompt_that_cannot_fit_are_refused(
    built: tuple[Path, Path], tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from sdkgen.cli import cli

    spec, build = built
    common = ["bench", str(spec), "--threads", "1", "--prefill", str(PREFILL)]
    missing = CliRunner().invoke(cli, [*common, "--build", str(tmp_path / "nothing")])
    assert missing.exit_code == 8, missing.output
    assert "holds no build" in missing.stderr and "sdkgen build" in missing.stderr
    too_long = CliRunner().invoke(cli, [*common, "--build", str(build), "--decode-tokens", "60"])
    assert too_long.exit_code == 2, too_long.output
    assert "exceed the 63-token context" in too_long.stderr


def test_a_gguf_source_without_llama_cpp_gets_the_install_hint(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    from types import SimpleNamespace

    from sdkgen.bench_llm import run

    spec, build = built
    monkeypatch.setattr(run, "llama_cpp_installed", lambda: False)
    plan = SimpleNamespace(source=SimpleNamespace(kind="gguf", parameters=1000,
                                                  path=tmp_path / "model.gguf"))
    rows, notes = run.plan_rows(plan, spec, build, (1, 2), tmp_path / "reference.npz")
    assert notes == [LLAMA_CPP_MISSING]
    assert LLAMA_CPP_MISSING == "llama.cpp: not installed (pip install sdkgen[bench-llamacpp])"
    assert [r.engine for r in rows] == ["eager", "pte", "pte"] * 2
    assert [r.writes_reference for r in rows] == [True] + [False] * 5


@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama_cpp is not installed (pip install sdkgen[bench-llamacpp])")
def test_llama_cpp_runs_the_same_gguf_beside_the_pte(tmp_path: Path) -> None:
    """A float32 GGUF of the tiny Llama: llama.cpp reads the ids the .pte reads, and agrees."""
    import yaml
    from bench_llm_gguf import write_llama_gguf
    from click.testing import CliRunner
    from llm_models import FAST, build_definition, save_tiny_model

    from sdkgen.cli import cli

    gguf = write_llama_gguf(save_tiny_model("llama", tmp_path / "hf"), tmp_path / "tiny.gguf")
    spec = tmp_path / "tiny.yaml"
    result = CliRunner().invoke(cli, ["init", "--gguf", str(gguf), "--out", str(spec)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(spec.read_text())
    generation = document["generation"]
    generation["evaluation"] = {"greedy_tokens": FAST["generation.evaluation.greedy_tokens"],
                                "text_tokens": FAST["generation.evaluation.text_tokens"],
                                "prompts": FAST["generation.evaluation.prompts"]}
    generation["context_length"] = FAST["generation.context_length"]
    generation["quantization"] = {"android": ["fp32"]}
    spec.write_text(yaml.safe_dump(document, allow_unicode=True))
    build_definition(spec, tmp_path / "build", "android")
    completed = _bench(spec, tmp_path / "build", "--threads", "1", "--json")
    assert completed.returncode == 0, completed.stderr[-3000:]
    bench = json.loads(completed.stdout)["bench"]
    assert [r["label"] for r in bench["rows"]] == ["eager PyTorch", ".pte fp32", "llama.cpp"]
    llama = bench["rows"][2]
    assert llama["mode"] == "F32" and llama["artifact"] == "tiny.gguf"
    assert llama["runtime_version"].startswith("llama-cpp-python ")
    assert llama["decode_tokens_per_s"] > 0 and llama["peak_rss_bytes"] > 0
    # float32 weights in both: llama.cpp's kernels round differently, the predictions agree
    assert llama["top1_agreement"] >= 0.95 and llama["top5_agreement"] >= 0.98
    assert llama["perplexity"] == pytest.approx(bench["rows"][0]["perplexity"], rel=0.02)
    assert bench["notes"] == []


def test_a_failing_llama_cpp_row_is_a_note_and_the_other_rows_stay(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    """llama.cpp is an optional anchor built from source: when its process fails (here it is
    handed a file that is no GGUF), the bench keeps sdkgen's own rows and says why in a note."""
    from sdkgen.bench_llm import run
    from sdkgen.bench_llm.engines import LLAMA_CPP_CRASH_HINT, Row

    spec, build = built
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"not a GGUF file")
    plan_rows = run.plan_rows

    def with_a_failing_anchor(plan: Any, *args: Any) -> tuple[list[Row], list[str]]:
        rows, notes = plan_rows(plan, *args)
        eager = rows[0]
        anchor = Row(engine="llamacpp", label="llama.cpp", artifact=str(broken), mode="Q4_1",
                     size_bytes=15, threads=1, spec=eager.spec, reference=eager.reference,
                     writes_reference=False)
        return [eager, anchor], notes

    monkeypatch.setattr(run, "plan_rows", with_a_failing_anchor)
    messages: list[str] = []
    document = run.run_llm_bench(spec, build, threads=(1,), prefill=PREFILL, decode_tokens=DECODE,
                                 warmup=0, repeats=1, progress=messages.append)
    assert [r["label"] for r in document["rows"]] == ["eager PyTorch"]
    note = document["notes"][-1]
    assert note.startswith("llama.cpp: not measured at 1 thread(s), llama.cpp at 1 thread(s) "
                           "failed (exit 1): ")
    assert note.endswith(f"({LLAMA_CPP_CRASH_HINT})")
    assert any("failed (exit 1)" in message for message in messages)
    assert markdown_table(document).rstrip().endswith(f"({LLAMA_CPP_CRASH_HINT})")
