"""Decoder families through ``sdkgen init --hf`` → ``sdkgen build``, with greedy parity.

Tiny random-weight models of real ``transformers`` architectures (see ``llm_models``): each build
exports the KV-cache ``.pte`` with ExecuTorch's LLM export, runs it in the ExecuTorch Python
runtime (greedy ids equal to eager's, or the build fails), runs ExecuTorch's C++ runner on it,
and — for one family — converts the stateful Core ML model and checks its spec and its module.
Short prompts and few tokens keep the suite within seconds per export.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from llm_models import save_tiny_model

from sdkgen.cli import cli

FAST = {"generation.evaluation.greedy_tokens": 12, "generation.evaluation.text_tokens": 64,
        "generation.evaluation.prompts": ["What is the capital of France?", "Hello there"],
        "generation.context_length": 64}


def _definition(family: str, root: Path, edits: dict) -> Path:
    folder = save_tiny_model(family, root / family)
    out = root / f"{family}.yaml"
    result = CliRunner().invoke(cli, ["init", "--hf", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text())
    for dotted, value in {**FAST, **edits}.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    out.write_text(yaml.safe_dump(document, allow_unicode=True))
    return out


def _build(spec: Path, out: Path, platform: str) -> dict:
    result = CliRunner().invoke(cli, ["build", str(spec), "--out", str(out), "--platform",
                                      platform, "--json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 0, document
    return document["report"]


@pytest.mark.slow
@pytest.mark.parametrize("family", ["llama", "qwen2"])
def test_float_pte_generates_the_eager_tokens(family: str, tmp_path: Path) -> None:
    spec = _definition(family, tmp_path, {"generation.quantization.android": ["fp32"]})
    report = _build(spec, tmp_path / "build", "android")
    [variant] = report["android"]["variants"]
    parity = variant["greedy_parity"]
    assert parity["status"] == "passed"
    assert parity["identical_tokens"] == parity["total_tokens"] == 2 * 12
    assert parity["first_logits_max_abs_diff"] < 1e-4
    assert variant["runner_metadata"]["get_eos_ids"] == [1, 2]
    assert variant["runner_metadata"]["get_max_context_len"] == 64
    smoke = variant["runner_smoke"]
    assert smoke["matches_python_greedy"] is True and smoke["generated_tokens"] >= 1
    eager, pte = report["agreement"][:2]
    assert pte["top1_agreement"] == 1.0
    assert abs(pte["perplexity"] - eager["perplexity"]) / eager["perplexity"] < 1e-3
    assert (tmp_path / "build" / "artifacts" / f"{family}.pte").is_file()
    golden = json.loads((tmp_path / "build" / "golden" / "generation.json").read_text())
    assert [c["check"] for c in golden["greedy_cases"]] == ["exact", "exact"]


@pytest.mark.slow
def test_quantised_variants_are_chosen_by_the_budget_and_ios_is_stateful(tmp_path: Path) -> None:
    """Qwen3 (the third family) on both platforms: greedy parity as above, an 8da4w variant that
    misses an exacting budget (so fp32 ships), and the stateful Core ML model."""
    spec = _definition("qwen3", tmp_path, {
        "generation.quantization.android": ["8da4w", "fp32"],
        "generation.quality_budget": {"min_top1_agreement": 1.0, "min_top5_agreement": 1.0,
                                      "max_perplexity_ratio": 1.0},
    })
    report = _build(spec, tmp_path / "build", "all")
    android = report["android"]
    assert android["variants"][0]["greedy_parity"]["status"] == "passed"
    modes = [v["quantization"] for v in android["variants"]]
    assert modes == ["fp32", "8da4w"]  # the float one first (parity), then the preference order
    quantised = android["variants"][1]
    assert quantised["within_budget"] is False and quantised["budget_misses"]
    assert quantised["size_bytes"] < android["variants"][0]["size_bytes"]
    assert android["quantization"] == "fp32"  # 8da4w missed the (exacting) budget
    ios = report["ios"]
    assert all(check["passed"] for check in ios["spec_check"])
    assert ios["module_greedy_parity_float32"]["status"] == "passed"
    assert ios["cache_shape"] == [2, 1, 2, 64, 16]
    names = [row["name"] for row in report["agreement"]]
    assert names == ["eager float32", ".pte fp32", ".pte 8da4w", "Core ML module in PyTorch float16",
                     "Core ML int4_blockwise (simulated, PyTorch float16)"]
    assert (tmp_path / "build" / "artifacts" / "Qwen3.mlpackage" / "Manifest.json").is_file()
    assert (tmp_path / "build" / "artifacts" / "variants" / "qwen3-8da4w.pte").is_file()
