"""LiteRT as a second Android runtime: plan checks, the .tflite backend, the shipped LiteRT SDK
tree, inspect and bench rows.

The LiteRT packages (litert-torch, ai-edge-litert) are in the pinned virtualenv (the ``litert``
extra, docs/litert.md). Tests that convert or run a .tflite skip where they are missing, and fail
instead under CI (SDKGEN_REQUIRE_TOOLS=1, or SDKGEN_REQUIRE_LITERT=1).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from tooling import tool_missing

from sdkgen.codegen.templates import template_root
from sdkgen.errors import SpecError
from sdkgen.examples import example_path
from sdkgen.export.base import backend_for_platform, runtimes_for_platform
from sdkgen.spec import load_spec

DIGITS = example_path("digits")


def _require_litert() -> None:
    from sdkgen.export.litert import INSTALL_HINT, litert_available

    if not litert_available():
        message = f"LiteRT is not installed in this virtualenv: {INSTALL_HINT}"
        if os.environ.get("SDKGEN_REQUIRE_LITERT") == "1":
            pytest.fail(message)
        tool_missing(message)


def _digits_copy(tmp_path: Path, **android: object) -> Path:
    folder = tmp_path / "digits"
    shutil.copytree(DIGITS, folder, ignore=shutil.ignore_patterns("__pycache__"))
    document = yaml.safe_load((folder / "sdkgen.yaml").read_text())
    document["platforms"]["android"].update(android)
    document.pop("compression", None)
    (folder / "sdkgen.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return folder / "sdkgen.yaml"


def test_android_has_two_runtimes_and_executorch_is_the_default() -> None:
    assert runtimes_for_platform("android") == ("executorch", "litert")
    assert backend_for_platform("android").name == "executorch"
    assert backend_for_platform("android", "litert").artifact_suffix == ".tflite"
    assert backend_for_platform("ios").name == "coreml"


def test_compare_runtimes_must_not_repeat_the_shipped_one(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"compare_runtimes.*already the SDK's runtime"):
        load_spec(_digits_copy(tmp_path, compare_runtimes=["executorch"]))


def test_executorch_variants_of_a_litert_sdk_are_refused_before_loading_the_model(
    tmp_path: Path,
) -> None:
    from sdkgen.pipeline import build

    spec = _digits_copy(tmp_path, runtime="litert")
    document = yaml.safe_load(spec.read_text())
    document["compression"] = yaml.safe_load((DIGITS / "sdkgen.yaml").read_text())["compression"]
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    with pytest.raises(SpecError, match=r"compression.android.quantize.*ships litert") as raised:
        build(spec, out_dir=tmp_path / "out", platforms=("android",), compress=True)
    assert "litert_quantize" in (raised.value.hint or "")
    assert not (tmp_path / "out").exists()


def test_the_runtime_picks_the_asset_and_the_template_overlay(tmp_path: Path) -> None:
    from sdkgen.codegen.platforms import template_dirs
    from sdkgen.plan import make_plan

    root = template_root()
    plans = {runtime: make_plan(load_spec(_digits_copy(tmp_path / runtime, runtime=runtime)))
             for runtime in ("executorch", "litert")}
    for runtime, extension in (("executorch", "pte"), ("litert", "tflite")):
        plan = plans[runtime]
        assert plan.android.runtime.name == runtime
        assert plan.android.model_asset == f"digit_classifier.{extension}"
        folders = template_dirs("android", plan)
        assert folders[:2] == [root / "android", root / "runtimes" / runtime / "android"]
        assert template_dirs("ios", plan)[0] == root / "ios"  # one runtime: no overlay
        assert all("runtimes" not in folder.parts for folder in template_dirs("ios", plan))


def test_metadata_round_trip_and_operator_names() -> None:
    _require_litert()
    import litert_torch
    import torch

    from sdkgen.export.litert import operator_counts, read_metadata, with_metadata

    module = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU()).eval()
    flatbuffer = litert_torch.convert(module, (torch.zeros(1, 3, 8, 8),)).model_content()
    tagged = with_metadata(flatbuffer, {"sdkgen_provenance": b'{"a": 1}'})
    assert read_metadata(tagged)["sdkgen_provenance"] == b'{"a": 1}'
    retagged = with_metadata(tagged, {"sdkgen_provenance": b'{"a": 2}'})
    assert read_metadata(retagged)["sdkgen_provenance"] == b'{"a": 2}'  # replaced, not appended
    assert "CONV_2D" in operator_counts(tagged)


@pytest.fixture(scope="module")
def litert_build(tmp_path_factory: pytest.TempPathFactory):
    """The digits example shipped on LiteRT, with the .pte built beside it for comparison."""
    _require_litert()
    from sdkgen.pipeline import build

    folder = tmp_path_factory.mktemp("litert")
    spec = _digits_copy(folder, runtime="litert", compare_runtimes=["executorch"])
    return build(spec, out_dir=folder / "out", platforms=("android",))


TFLITE = Path("artifacts") / "digit_classifier.tflite"


def test_the_shipped_tflite_is_verified_like_the_pte(litert_build) -> None:
    android = litert_build.report["platforms"][0]
    parity = android["parity"]
    assert parity["status"] == "passed" and parity["runtime"].startswith("litert")
    assert parity["outputs"][0]["top1_agreement"] == 1.0
    (comparison,) = android["comparisons"]
    assert comparison["runtime"] == "executorch" and comparison["status"] == "verified"
    assert comparison["file"] == "artifacts/compare/digit_classifier.pte"
    assert comparison["parity"]["cases"] == parity["cases"]
    assert comparison["parity"]["outputs"][0]["tolerance"] == parity["outputs"][0]["tolerance"]
    assert "### Comparison: executorch (verified)" in (litert_build.out_dir / "report.md").read_text()


def test_the_litert_tree_ships_the_tflite_and_the_litert_runtime(litert_build) -> None:
    module = litert_build.out_dir / "android" / "digit-classifier"
    asset = module / "src/main/assets/digit_classifier.tflite"
    assert asset.read_bytes() == (litert_build.out_dir / TFLITE).read_bytes()
    sources = {p.name: p.read_text(encoding="utf-8") for p in (module / "src/main/java").rglob("*.kt")}
    assert "LiteRtRuntime.kt" in sources and "ExecuTorchRuntime.kt" not in sources
    assert "CompiledModel.create(file.absolutePath, compileOptions)" in sources["LiteRtRuntime.kt"]
    assert "createBlocking(context, options, LiteRtRuntime)" in sources["DigitClassifier.kt"]
    assert "org.pytorch" not in "".join(sources.values())
    build = (module / "build.gradle.kts").read_text(encoding="utf-8")
    assert 'noCompress += "tflite"' in build
    assert "implementation(libs.litert)" in build and "implementation(libs.litert.gpu)" in build
    assert "executorch" not in build
    catalog = (litert_build.out_dir / "android/gradle/libs.versions.toml").read_text(encoding="utf-8")
    assert 'litert = { group = "com.google.ai.edge.litert", name = "litert", version.ref = "litert" }' in catalog
    assert 'litert = "2.3.0"' in catalog


def test_tflite_is_deterministic_and_carries_provenance(litert_build, tmp_path: Path) -> None:
    from sdkgen.export.base import ExportRequest
    from sdkgen.export.litert import export_litert
    from sdkgen.inspection import inspect_artifact
    from sdkgen.loading import load_model
    from sdkgen.plan import make_plan

    built = litert_build.out_dir / TFLITE
    details = inspect_artifact(built)
    assert details["inputs"][0]["shape"] == [1, 1, 8, 8]  # NCHW, as the .pte
    assert details["outputs"][0]["shape"] == [1, 10]
    provenance = details["metadata"]["sdkgen_provenance"]
    assert provenance["litert_torch_version"] and provenance["spec_sha256"]
    loaded = load_spec(litert_build.out_dir.parent / "digits" / "sdkgen.yaml")
    again = export_litert(ExportRequest(
        loaded=loaded, plan=make_plan(loaded), model=load_model(loaded),
        artifact_path=tmp_path / "again.tflite", provenance=json.loads(json.dumps(provenance)),
    ))
    assert again.artifact.read_bytes() == built.read_bytes()


def test_tflite_latency_is_measured_in_the_litert_interpreter(litert_build) -> None:
    import numpy as np

    from sdkgen.bench import time_tflite

    built = litert_build.out_dir / TFLITE
    timing = time_tflite(built, (np.zeros((1, 1, 8, 8), np.float32),), runs=3, warmup=1, threads=1)
    assert timing["runs"] == 3 and timing["p90_ms"] >= timing["median_ms"] > 0
