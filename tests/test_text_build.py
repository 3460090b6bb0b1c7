"""Full builds of the tiny text models (a WordPiece tokenizer trained here, two-layer BERTs):
ExecuTorch and Core ML exports verified, the tokenizer and its golden cases in both trees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkgen.pipeline import build

FOLDER = Path(__file__).parent / "architectures" / "text_embedding"


@pytest.mark.slow
def test_text_encoder_builds_and_verifies(tmp_path: Path) -> None:
    result = build(FOLDER / "sdkgen.yaml", out_dir=tmp_path / "encoder")
    report = result.report
    assert report["model"]["task"] == "text_embedding"
    assert [(i["feature"], i["dtype"]) for i in report["model"]["inputs"]] == [
        ("input_ids", "int64"), ("attention_mask", "int64")]
    platforms = {p["platform"]: p for p in report["platforms"]}
    android, ios = platforms["android"], platforms["ios"]
    assert android["status"] == ios["status"] == "built"
    (parity,) = android["parity"]["outputs"]
    assert android["parity"]["status"] == "passed"
    assert parity["min_decoded_cosine_similarity"] > 0.99999, parity
    checks = {c["check"]: c for c in ios["spec_check"]["checks"]}
    assert ios["spec_check"]["status"] == "passed", checks
    assert checks["input names"]["found"] == "['input_ids', 'attention_mask']"
    assert checks["input input_ids dtype"]["found"] == "int32"
    assert checks["output names"]["found"] == "['embedding']"
    print(f"Core ML route: {ios['artifact']['route']}; .pte decoded cosine "
          f"{parity['min_decoded_cosine_similarity']:.8f}, max abs {parity['max_abs_error']:.3g}")
    out = tmp_path / "encoder"
    manifest = json.loads((out / "golden" / "manifest.json").read_text(encoding="utf-8"))
    assert "similarity" in manifest["outputs"][0]
    resources = out / "android" / "tiny-text-encoder" / "src" / "main" / "resources"
    assert (resources / "io/sdkgen/tests/textencoder/text.tokenizer.json").is_file()
    assert (out / "ios/Sources/TinyTextEncoderCore/Resources/text.tokenizer.json").is_file()
    assert len(json.loads((out / "golden/text/text.json").read_text(encoding="utf-8"))["cases"]) >= 300
