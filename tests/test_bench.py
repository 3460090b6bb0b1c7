"""``sdkgen bench`` on a compressed digits build: structure and correctness of the figures, never
their speed. It runs in a subprocess: the ExecuTorch thread pool can be sized only before the
first program is loaded, and other tests in this process load programs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sdkgen.examples import example_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("bench")
    plot = folder / "bench.png"
    completed = subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", "bench", str(example_path("digits") / "sdkgen.yaml"),
         "--build", str(folder / "digits"), "--runs", "3", "--warmup", "1", "--threads", "1",
         "--threads", "2",
         "--plot", str(plot), "--json"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout), plot


def test_bench_builds_then_measures_every_artifact(bench_run) -> None:
    document, _ = bench_run
    bench = document["bench"]
    assert document["status"] == "ok"
    assert bench["settings"] == {"runs": 3, "warmup": 1, "threads": 1, "thread_counts": [1, 2]}
    modes = [(row["platform"], row["mode"]) for row in bench["rows"]]
    assert modes == [
        ("host", "float32"), ("android", "float32"), ("android", "int8"),
        ("android", "int8_weight_only"), ("ios", "float16"), ("ios", "int8"),
        ("ios", "palettize4"), ("ios", "prune"),
    ]


def test_bench_rows_hold_the_figures(bench_run) -> None:
    rows = bench_run[0]["bench"]["rows"]
    for row in rows:
        assert row["size_bytes"] > 0
        if row["platform"] in ("host", "android"):
            assert set(row["latency"]) == {"median_ms", "p90_ms", "min_ms", "runs"}
            # the second thread count is measured in a fresh process, the first in this one
            assert set(row["latency_by_threads"]) == {"1", "2"}
            assert row["latency_by_threads"]["1"] == row["latency"]
            assert row["latency_by_threads"]["2"]["runs"] == 3
            assert row["latency"]["runs"] == 3
            assert row["latency"]["p90_ms"] >= row["latency"]["median_ms"] > 0
            assert row["accuracy"]["samples"] == 360
        if row["platform"] == "android":
            assert row["load_ms"] > 0 and row["planned_memory_bytes"] > 0
            assert row["accuracy"]["top1_agreement"] >= 0.98
        if row["platform"] == "ios":
            assert row["latency"] is None and row["accuracy"] is None
            assert "not measured" in row["note"]
    eager = rows[0]
    assert eager["accuracy"]["top1_agreement"] == 1.0
    assert eager["accuracy"]["accuracy"] == pytest.approx(0.977778, abs=1e-6)
    palettized = next(r for r in rows if r["mode"] == "palettize4")
    assert palettized["weights"]["tensors_compressed"] >= 1


def test_bench_plot_is_a_png(bench_run) -> None:
    _, plot = bench_run
    assert plot.read_bytes()[:8] == PNG_SIGNATURE


def test_markdown_table_has_a_row_per_artifact(bench_run) -> None:
    from sdkgen.bench import markdown_table

    bench = bench_run[0]["bench"]
    table = markdown_table(bench)
    assert table.count("\n| ") == len(bench["rows"]) + 1  # header + one row each
    assert "median ms (1 thr)" in table and "median ms (2 thr)" in table
    assert "not measured" in table
