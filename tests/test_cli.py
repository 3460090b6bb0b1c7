"""The command line through click's CliRunner: exit codes and JSON documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sdkgen.cli import cli
from sdkgen.examples import example_path


def _invoke(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(cli, list(args))
    document = json.loads(result.stdout) if "--json" in args and result.stdout.strip() else None
    return result.exit_code, document, result.stderr


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "init", "inspect", "validate", "schema"):
        assert command in result.output


def test_validate_json_ok() -> None:
    code, document, _ = _invoke("validate", str(example_path("digits") / "sdkgen.yaml"), "--json")
    assert code == 0
    assert document["status"] == "ok" and document["schema_version"] == 1
    assert len(document["spec_sha256"]) == 64


def test_wrong_definition_points_at_the_field(tmp_path: Path) -> None:
    spec = yaml.safe_load((example_path("digits") / "sdkgen.yaml").read_text())
    spec["inputs"][0]["image"]["mean"] = [0.5, 0.5]
    spec["model"]["weights"] = str(example_path("digits") / "weights.pt")
    spec["outputs"][0]["classification"]["labels"] = str(example_path("digits") / "labels.txt")
    path = tmp_path / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(spec))
    code, document, stderr = _invoke("build", str(path), "--json")
    assert code == 3
    assert document["status"] == "error" and document["error"]["kind"] == "spec"
    assert "inputs[0].image.mean: expected 1 values (one per grayscale channel), got 2" in stderr


def test_unknown_example_is_a_usage_error() -> None:
    code, document, _ = _invoke("build", "--example", "nope", "--json")
    assert code == 2
    assert "unknown example 'nope'" in document["error"]["message"]


def _init_digits(out: Path) -> tuple[int, dict | None, str]:
    """``sdkgen init`` for the digits model, as a user would type it."""
    return _invoke(
        "init", "--model", "sdkgen.examples.digits.model:build_model",
        "--weights", str(example_path("digits") / "weights.pt"),
        "--input", "image:1x8x8", "--labels", str(example_path("digits") / "labels.txt"),
        "--out", str(out),
    )


def test_init_writes_a_definition_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "sdkgen.yaml"
    code, _, stderr = _init_digits(out)
    assert code == 0, stderr
    text = out.read_text()
    assert text.count("#") > 20  # every field explained
    code, document, _ = _invoke("validate", str(out), "--json")
    assert code == 0 and document["status"] == "ok"
    code, _, stderr = _invoke("init", "--model", "a.b:c", "--input", "image:1x8x8", "--out", str(out))
    assert code == 2 and "exists" in stderr


@pytest.mark.parametrize("bad", ["image:2x8x8", "tensor:1xx2", "audio:1x16000", "image:3x8x8:int32"])
def test_init_rejects_bad_inputs(bad: str, tmp_path: Path) -> None:
    code, _, stderr = _invoke("init", "--model", "a.b:c", "--input", bad,
                              "--out", str(tmp_path / "s.yaml"))
    assert code == 2 and "--input" in stderr


def test_init_output_builds_without_edits(tmp_path: Path) -> None:
    out = tmp_path / "sdkgen.yaml"
    code, _, stderr = _init_digits(out)
    assert code == 0, stderr
    code, document, stderr = _invoke("build", str(out), "--platform", "android",
                                     "--out", str(tmp_path / "b"), "--json")
    assert code == 0, stderr
    assert document["report"]["platforms"][0]["parity"]["status"] == "passed"


def test_inspect_pte_and_mlpackage(digits_build) -> None:
    artifacts = digits_build.out_dir / "artifacts"
    code, document, _ = _invoke("inspect", str(artifacts / "digit_classifier.pte"), "--json")
    assert code == 0
    pte = document["artifact"]
    assert pte["methods"]["forward"]["inputs"] == [{"dtype": "float32", "nbytes": 256, "shape": [1, 1, 8, 8]}]
    assert pte["methods"]["forward"]["outputs"][0]["shape"] == [1, 10]
    assert pte["delegates"] == ["XnnpackBackend"]
    assert pte["metadata"]["model_name"] == "Digit Classifier"
    code, document, _ = _invoke("inspect", str(artifacts / "DigitClassifier.mlpackage"), "--json")
    assert code == 0
    package = document["artifact"]
    assert package["inputs"][0]["name"] == "image" and package["inputs"][0]["shape"] == [1, 1, 8, 8]
    assert package["outputs"][0]["dtype"] == "float32"
    assert package["precision"] == "float16"
    assert json.loads(package["metadata"]["com.sdkgen.labels.logits"]) == [str(d) for d in range(10)]


def test_inspect_reads_as_tables_by_default(digits_build) -> None:
    artifacts = digits_build.out_dir / "artifacts"
    result = CliRunner().invoke(cli, ["inspect", str(artifacts / "digit_classifier.pte")])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("digit_classifier.pte  executorch .pte  ")
    for shown in ("method forward", "input 0", "float32", "1 × 1 × 8 × 8", "output 0", "1 × 10",
                  "delegates", "XnnpackBackend", "planned memory", "model_name",
                  "Digit Classifier"):
        assert shown in text, shown
    assert not text.lstrip().startswith("{")
    result = CliRunner().invoke(cli, ["inspect", str(artifacts / "DigitClassifier.mlpackage")])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("DigitClassifier.mlpackage  Core ML mlProgram  ")
    for shown in ("inputs and outputs", "image", "logits", "precision", "float16",
                  "com.sdkgen.labels.logits", "10 items: 0, 1, 2, 3, …"):
        assert shown in text, shown


def test_inspect_refuses_other_files(tmp_path: Path) -> None:
    (tmp_path / "x.onnx").write_text("")
    code, _, stderr = _invoke("inspect", str(tmp_path / "x.onnx"))
    assert code == 2 and "expected a .pte or .tflite file, or an .mlpackage folder" in stderr
