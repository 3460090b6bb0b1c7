"""Decoder families through ``sdkgen init --hf`` → ``sdkgen build``, with greedy parity.

Tiny random-weight models of real ``transformers`` architectures (see ``llm_models``): each build
exports the KV-cache ``.pte`` with ExecuTorch's LLM export, runs it in the ExecuTorch Python
runtime (greedy ids equal to eager's, or the build fails), runs ExecuTorch's C++ runner on it,
and — for one family — converts the stateful Core ML model and checks its spec and its module.
Short prompts and few tokens keep the suite within seconds per export.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from llm_models import HOSTILE_NAME, GenerationBuild, tiny_definition

from sdkgen.codegen import naming


@pytest.mark.slow
# qwen2 is not here, for time only (about a minute per export): its weight map is checked in PyTorch
# (test_llm_architectures.py) and transformers' Qwen2 tokenizer, NFC normalizer included, in the
# tokenizer checks (text_tokenizer/test_support.py, the bpe-qwen2-nfc golden fixture)
@pytest.mark.parametrize("family", ["llama"])
def test_float_pte_generates_the_eager_tokens(family: str, tmp_path: Path) -> None:
    """Built by ``sdkgen build`` piped, as CI runs it: sdkgen's steps on stderr, what libraries and
    native code print in the build log."""
    spec = tiny_definition(family, tmp_path, {"generation.quantization.android": ["fp32"]})
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    environment.pop("TERM", None)
    run = subprocess.run([sys.executable, "-m", "sdkgen", "build", str(spec), "--out",
                          str(tmp_path / "build"), "--platform", "android", "--json"],
                         capture_output=True, text=True, env=environment, timeout=900, check=False)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)  # one document: no native line reached stdout
    report = document["report"]
    lines = run.stderr.splitlines()
    assert all(line.startswith("sdkgen [") for line in lines), run.stderr
    assert lines[-1].endswith(f"report: {tmp_path / 'build' / 'report.md'}"), lines[-1]
    steps = [line.split("] ", 1)[1] for line in lines]
    assert ("android: greedy parity passed: 24/24 tokens identical over 2 prompts, first-step "
            "logits within ") in "\n".join(steps)
    assert any(s.startswith("android: .pte fp32, ") and ": top-1 1.0000, top-5 1.0000" in s
               for s in steps), steps
    assert any(s.startswith("android: C++ runner on fp32: “")
               and s.endswith(", equal to Python's greedy text)") for s in steps), steps
    assert '{"' not in run.stderr  # figures as sentences, not JSON
    log = Path(document["build_log"]).read_text()
    assert "FutureWarning" in log and "cpuinfo_utils" in log  # torch's and ExecuTorch's own
    assert "FutureWarning" not in run.stderr and "cpuinfo_utils" not in run.stderr
    [variant] = report["android"]["variants"]
    parity = variant["greedy_parity"]
    assert parity["status"] == "passed"
    assert parity["identical_tokens"] == parity["total_tokens"] == 2 * 12
    assert parity["first_logits_max_abs_diff"] < 1e-4
    assert {1, 2} <= set(variant["runner_metadata"]["get_eos_ids"])
    assert variant["runner_metadata"]["get_max_context_len"] == 64
    smoke = variant["runner_smoke"]
    assert smoke["matches_python_greedy"] is True and smoke["generated_tokens"] >= 1
    eager, pte = report["agreement"][:2]
    assert pte["top1_agreement"] == 1.0
    assert abs(pte["perplexity"] - eager["perplexity"]) / eager["perplexity"] < 1e-3
    assert (tmp_path / "build" / "artifacts" / f"{family}.pte").is_file()
    golden = json.loads((tmp_path / "build" / "golden" / "generation" / "model.json").read_text())
    assert [c["check"] for c in golden["greedy_cases"]] == ["exact", "exact"]
    assert [len(c["ids"]) for c in golden["greedy_cases"]] == [12, 12]


def test_the_runner_printed_text_leaves_its_statistics_out() -> None:
    """The runner's own printout (used when a piece splits a UTF-8 character) ends with a line of
    statistics that is not generated text."""
    from sdkgen.llm.evaluate import _generated_part

    stats = 'PyTorchObserver {"prompt_tokens":22,"generated_tokens":11}\n'
    assert _generated_part(" caf\ufffd\nnext line\n" + stats) == " caf\ufffd\nnext line"
    assert _generated_part(stats) == ""
    assert _generated_part("no statistics") == "no statistics"


def test_the_executorch_pool_is_resized_only_when_its_size_differs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A reset frees the pool that loaded programs hold: never one that changes nothing."""
    from executorch.extension.pybindings import portable_lib

    from sdkgen.executorch_threads import executorch_threads

    resets: list[int] = []
    monkeypatch.setattr(portable_lib, "_threadpool_get_thread_count", lambda: 1)
    monkeypatch.setattr(portable_lib, "_unsafe_reset_threadpool", resets.append)
    executorch_threads(1)
    assert resets == []
    executorch_threads(2)
    assert resets == [2]


@pytest.mark.slow
def test_quantised_variants_are_chosen_by_the_budget_and_ios_is_stateful(
        tiny_generation_build: GenerationBuild) -> None:
    """Qwen3 (the third family) on both platforms: greedy parity as above, an 8da4w variant with
    activation groups that misses an exacting budget (so fp32 ships), and the stateful Core ML
    model."""
    report = tiny_generation_build.report
    out = tiny_generation_build.out
    android = report["android"]
    assert android["variants"][0]["greedy_parity"]["status"] == "passed"
    modes = [v["quantization"] for v in android["variants"]]
    assert modes == ["fp32", "8da4w"]  # the float one first (parity), then the preference order
    quantised = android["variants"][1]
    assert quantised["within_budget"] is False and quantised["budget_misses"]
    assert quantised["size_bytes"] < android["variants"][0]["size_bytes"]
    assert android["quantization"] == "fp32"  # 8da4w missed the (exacting) budget
    # activation groups (4 here): every linear of the 8da4w variant, none of the float one
    assert quantised["grouped_linears"] == 2 * 7 + 1  # 2 layers of 7 projections, the output
    assert android["variants"][0]["grouped_linears"] == 0
    # outlier channels (2 here): every linear of the 8da4w variant split, inside the delegate
    assert quantised["outlier_linears"] == 2 * 7 + 1
    assert android["variants"][0]["outlier_linears"] == 0
    # outside the delegate, the token embedding differs (8-bit in blocks of 32, quantized
    # kernels), and the quantised variant's norms (q/k norms too) and rotary embeddings are
    # inside it (sdkgen.export.delegable_ops): fewer delegate calls, nothing new outside
    float_ops = dict(android["variants"][0]["ops_outside_delegate"])
    quantised_ops = dict(quantised["ops_outside_delegate"])
    assert float_ops.pop("aten.embedding.default") == 1
    assert quantised_ops.pop("quantized_decomposed.embedding_byte.dtype") == 1
    assert quantised["delegable_norms_and_rotary"] == {"norms": 2 * 4 + 1, "rotary": 1}
    assert {"aten.mean.dim", "aten.cat.default"} <= set(float_ops)
    assert not {"aten.mean.dim", "aten.cat.default"} & set(quantised_ops)
    assert all(count <= float_ops.get(op, 0) for op, count in quantised_ops.items())
    assert quantised["delegate_calls"] < android["variants"][0]["delegate_calls"]
    assert android["variants"][0]["embedding"] == {"bits": 32}
    assert quantised["embedding"]["bits"] == 8 and quantised["embedding"]["block"] == 32
    # half a step is max|w| / 254 per block of 32: under 0.01 for N(0, 0.3) weights (|w| < 2.5)
    assert 0 < quantised["embedding"]["max_abs_change"] < 0.01
    summary = (out / "report.md").read_text(encoding="utf-8")
    assert report["evaluation"]["executorch_threads"] == 1  # figures independent of the cores
    assert "ExecuTorch with 1 thread" in summary
    # the quantised format's greedy answers are measured against eager's, and reported only
    greedy = quantised["greedy_against_eager"]
    assert greedy["total_tokens"] == 2 * 12 and 0 <= greedy["identical_tokens"] <= 2 * 12
    assert len(greedy["first_divergence"]) == 2
    assert f"- 8da4w: {greedy['identical_tokens']}/24 tokens identical" in summary
    assert "C++ runner on the shipped .pte, greedy, prompt 1 → “" in summary
    assert "greedy_against_eager" not in android["variants"][0]  # float: exact parity instead
    assert "| fp32 |" in summary and "| float32 |" in summary
    assert ("| 8da4w (15 linears with activation groups, 15 linears with float outlier channels) |"
            in summary)
    assert "| 8-bit, blocks of 32 (max change " in summary
    ios = report["ios"]
    assert all(check["passed"] for check in ios["spec_check"])
    assert ios["module_greedy_parity_float32"]["status"] == "passed"
    assert ios["cache_shape"] == [2, 1, 2, 64, 16]
    names = [row["name"] for row in report["agreement"]]
    assert names == ["eager float32", ".pte fp32", ".pte 8da4w", "Core ML module in PyTorch float16",
                     "Core ML int4_blockwise (simulated, PyTorch float16)"]
    type_name, snake = naming.type_name(HOSTILE_NAME), naming.snake_name(HOSTILE_NAME)
    assert (out / "artifacts" / f"{type_name}.mlpackage" / "Manifest.json").is_file()
    assert (out / "artifacts" / "variants" / f"{snake}-8da4w.pte").is_file()


@pytest.mark.slow
def test_the_trees_hold_the_model_the_tokenizer_and_one_golden_layout(
        tiny_generation_build: GenerationBuild) -> None:
    """android/ and ios/ are rendered like every task's trees (platform templates, the text
    feature's tokenizer, the text_generation overlay); the shipped .pte, the .mlpackage and
    tokenizer.json sit inside them; golden/generation/ and golden/text/ are copied as test
    resources, the greedy cases being eager PyTorch's continuations."""
    out = tiny_generation_build.out
    sdk = tiny_generation_build.sdk()
    module = out / "android" / sdk.android.module_name
    assets = module / "src" / "main" / "assets"
    assert (assets / sdk.android.model_asset).read_bytes() == \
        (out / "artifacts" / sdk.android.model_asset).read_bytes()
    assert (assets / "tokenizer.json").read_bytes() == (out / "artifacts" / "tokenizer.json").read_bytes()
    package = module / "src" / "main" / "java" / Path(*sdk.android.package.split("."))
    assert (package / "tokenizer" / "Tokenizer.kt").is_file()
    assert (package / f"{sdk.type_name}LanguageModel.kt").is_file()
    resources = out / "ios" / "Sources" / sdk.type_name / "Resources"
    assert (resources / sdk.ios.model_resource / "Manifest.json").is_file()
    assert (resources / "tokenizer.json").is_file()
    assert '.copy("Resources/tokenizer.json")' in (out / "ios" / "Package.swift").read_text()
    assert '.iOS("18.0")' in (out / "ios" / "Package.swift").read_text()
    assert (out / "ios" / "Sources" / f"{sdk.type_name}Core" / "Tokenizer" / "Tokenizer.swift").is_file()
    golden = out / "golden"
    assert sorted(p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file()) == [
        "generation/model.json", "generation/model.tokenizer.json", "text/model.json",
        "text/model.tokenizer.json"]
    for copy in (module / "src" / "test" / "resources" / "golden",
                 module / "src" / "androidTest" / "assets" / "golden",
                 out / "ios" / "Tests" / f"{sdk.type_name}CoreTests" / "Resources" / "golden"):
        assert (copy / "generation" / "model.json").read_bytes() == \
            (golden / "generation" / "model.json").read_bytes()
    document = json.loads((golden / "generation" / "model.json").read_text(encoding="utf-8"))
    greedy = document["greedy_cases"]
    assert [len(c["ids"]) for c in greedy] == [12, 12]
    assert {c["check"] for c in greedy} == {"teacher_forced"}  # quantised iOS weights ship
    assert document["tokenizer_file"] == "model.tokenizer.json" and document["stream_cases"]
    text = json.loads((golden / "text" / "model.json").read_text(encoding="utf-8"))
    assert len(text["cases"]) >= 300 and text["options"]["add_special_tokens"] is False


@pytest.mark.slow
def test_the_trees_are_byte_identical_when_rendered_again(tiny_generation_build: GenerationBuild,
                                                          tmp_path: Path) -> None:
    """A fresh plan from the same definition renders the build's artifacts and golden folder into
    trees byte-identical to the build's (no dates, hosts, absolute paths or dict order); the
    exports themselves are not repeated (minutes)."""
    from conftest import tree_digest

    from sdkgen.llm.build import render_trees
    from sdkgen.llm.plan import make_generation_plan
    from sdkgen.spec import load_spec
    from sdkgen.version import tool_versions

    out = tiny_generation_build.out
    plan = make_generation_plan(load_spec(tiny_generation_build.spec))
    render_trees(plan, tool_versions(), build_dir=out, out_dir=tmp_path, platforms=("android", "ios"))
    for platform in ("android", "ios"):
        assert tree_digest(tmp_path / platform) == tree_digest(out / platform), platform


@pytest.mark.slow
def test_a_core_ml_module_that_float16_cannot_hold_fails_the_build(tmp_path: Path) -> None:
    """Core ML computes in float16: a model whose activations pass 65504 there is refused, not
    shipped with a warning (the converted module is run at float16 against eager)."""
    from click.testing import CliRunner
    from safetensors.torch import load_file, save_file

    from sdkgen.cli import cli

    spec = tiny_definition("llama", tmp_path, {"generation.quantization.ios": ["fp16"]})
    weights_file = tmp_path / "llama" / "model.safetensors"
    weights = load_file(str(weights_file))
    for name in weights:  # gate and up outputs near 500: their product overflows float16
        if name.endswith(("gate_proj.weight", "up_proj.weight")):
            weights[name] = weights[name] * 3000.0
    save_file(weights, str(weights_file), metadata={"format": "pt"})
    out = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build", str(spec), "--out", str(out), "--platform", "ios",
                                      "--json"])
    document = json.loads(result.stdout)
    assert result.exit_code == 6, document  # ParityError
    message = document["error"]["message"]
    assert ("run at float16 (Core ML's compute precision), is outside the default quality budget"
            in message)
    assert not out.exists()
