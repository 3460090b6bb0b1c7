"""Full builds of three more real architectures: nothing in sdkgen is specific to the examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkgen.pipeline import build

ARCHITECTURES = Path(__file__).parent / "architectures"


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["resnet18", "timm_convnext", "tensor_encoder"])
def test_architecture_builds_and_verifies(folder: str, tmp_path: Path) -> None:
    result = build(ARCHITECTURES / folder / "sdkgen.yaml", out_dir=tmp_path / folder)
    platforms = {p["platform"]: p for p in result.report["platforms"]}
    android, ios = platforms["android"], platforms["ios"]
    assert android["status"] == ios["status"] == "built"
    assert android["parity"]["status"] == "passed"
    for output in android["parity"]["outputs"]:
        assert output["min_cosine_similarity"] > 0.9999, output
        assert output["non_finite_values"] == 0
    assert ios["spec_check"]["status"] == "passed"
    assert (tmp_path / folder / "android" / "settings.gradle.kts").is_file()
    assert (tmp_path / folder / "ios" / "Package.swift").is_file()
    spec_outputs = result.report["model"]["outputs"]
    if folder == "tensor_encoder":
        assert result.report["model"]["task"] == "tensor"
        assert [o["shape"] for o in spec_outputs] == [[1, 32], [1, 16, 8]]
        # GRU has no converter on the first Core ML route: the fallback is recorded
        assert ios["artifact"]["route"] == "torch.export+run_decompositions()"
        assert "gru" in ios["artifact"]["failed_routes"][0]["error"].lower()
    else:
        assert result.report["model"]["task"] == "image_classification"
        assert android["parity"]["outputs"][0]["top1_agreement"] == 1.0
    if folder == "timm_convnext":
        assert "aten.native_layer_norm.default" in android["artifact"]["ops_outside_delegate"]
