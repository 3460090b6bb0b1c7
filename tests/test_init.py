"""``sdkgen init`` runs the model once and declares one output per tensor it returns."""

from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

import pytest
import torch
import yaml
from click.testing import CliRunner

from sdkgen.cli import cli
from sdkgen.errors import ModelLoadError
from sdkgen.init_probe import Probe
from sdkgen.signature import flatten_outputs

MODELS = Path(__file__).parent / "architectures" / "multi_output"


def _invoke(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(cli, list(args))
    document = json.loads(result.stdout) if "--json" in args and result.stdout.strip() else None
    return result.exit_code, document, result.stderr


@pytest.fixture(autouse=True)
def _models_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(MODELS))


Boxes = collections.namedtuple("Boxes", ["boxes", "scores"])


def test_returns_flatten_with_keys_in_export_order() -> None:
    a, b = torch.ones(1), torch.zeros(2)
    assert [(r.key, r.path) for r in flatten_outputs(a)] == [(None, "")]
    assert [(r.key, r.path) for r in flatten_outputs((a, b))] == [(None, "[0]"), (None, "[1]")]
    assert [r.key for r in flatten_outputs({"z": a, "y": b})] == ["z", "y"]
    assert [r.key for r in flatten_outputs(Boxes(a, b))] == ["boxes", "scores"]


@pytest.mark.parametrize(("value", "message"), [
    ((torch.ones(1), (torch.ones(1), torch.ones(1))), "output [1][0] is nested inside [1]"),
    ({"logits": torch.ones(1), "cache": [torch.ones(1)]}, "output ['cache'][0] is nested"),
    ((torch.ones(1), 3), "output [1] is a int, expected a tensor"),
    ({"a": torch.ones(1), "b": None}, "output ['b'] is a NoneType"),
    ((), "returned no tensors"),
])
def test_nested_or_non_tensor_returns_name_the_path(value: object, message: str) -> None:
    with pytest.raises(ModelLoadError, match=message.replace("[", r"\[").replace("]", r"\]")):
        flatten_outputs(value)


@pytest.mark.parametrize(("class_name", "display"), [
    ("SSDLiteHead", "SSD Lite Head"), ("GPT2LMHeadModel", "GPT2 LM Head Model"),
    ("MultiheadAttention", "Multihead Attention"), ("GRU", "GRU"),
    ("BackboneWithFPN", "Backbone With FPN"),
])
def test_display_name_comes_from_the_class_name(class_name: str, display: str) -> None:
    assert Probe(class_name=class_name, outputs=()).display_name == display


def test_init_declares_every_returned_tensor(tmp_path: Path) -> None:
    out = tmp_path / "sdkgen.yaml"
    code, document, stderr = _invoke(
        "init", "--model", "multi_output_models:attention", "--input", "tensor:1x5x16",
        "--input", "tensor:1x7x16", "--input", "tensor:1x7x16", "--out", str(out), "--json",
    )
    assert code == 0, stderr
    assert document["model_run"] is True
    assert document["outputs"] == [
        {"name": "output_0", "shape": [1, 5, 16], "dtype": "float32"},
        {"name": "output_1", "shape": [1, 5, 7], "dtype": "float32"},
    ]
    definition = yaml.safe_load(out.read_text())
    assert definition["name"] == "Multihead Attention"
    assert [o["tensor"]["shape"] for o in definition["outputs"]] == [[1, 5, 16], [1, 5, 7]]
    assert "one run of MultiheadAttention" in out.read_text()
    assert not list(tmp_path.glob(".*probe*"))  # the probe definition is cleaned up


def test_name_overrides_the_class_name(tmp_path: Path) -> None:
    out = tmp_path / "sdkgen.yaml"
    code, _, stderr = _invoke("init", "--model", "multi_output_models:gru", "--input",
                              "tensor:1x10x8", "--name", "Sensor Encoder", "--out", str(out))
    assert code == 0, stderr
    definition = yaml.safe_load(out.read_text())
    assert definition["name"] == "Sensor Encoder"
    assert [o["name"] for o in definition["outputs"]] == ["output_0", "output_1"]


def test_labels_go_to_the_output_with_one_value_per_label(tmp_path: Path) -> None:
    (tmp_path / "labels.txt").write_text("".join(f"class {i}\n" for i in range(16)))
    out = tmp_path / "sdkgen.yaml"
    code, _, stderr = _invoke("init", "--model", "multi_output_models:gru", "--input",
                              "tensor:1x1x8", "--labels", "labels.txt", "--out", str(out))
    assert code == 0, stderr
    outputs = yaml.safe_load(out.read_text())["outputs"]
    assert outputs[0]["name"] == "scores" and outputs[0]["classification"]["labels"] == "labels.txt"
    assert "tensor" in outputs[1]
    (tmp_path / "labels.txt").write_text("a\nb\nc\n")
    code, _, stderr = _invoke("init", "--model", "multi_output_models:gru", "--input",
                              "tensor:1x1x8", "--labels", "labels.txt", "--out", str(out), "--force")
    assert code == 2 and "no output of the model has 3 values" in stderr


def test_init_reports_load_errors_like_build(tmp_path: Path) -> None:
    code, _, stderr = _invoke("init", "--model", "multi_output_models:gru", "--input",
                              "tensor:1x10x3", "--out", str(tmp_path / "s.yaml"))
    assert code != 0
    assert "inputs: the model rejected inputs of the declared shapes ([1, 10, 3] float32)" in stderr
    code, _, stderr = _invoke("init", "--model", "multi_output_models:nope", "--input",
                              "tensor:1x4", "--out", str(tmp_path / "s.yaml"))
    assert code != 0 and "has no attribute 'nope'" in stderr
    assert not (tmp_path / "s.yaml").exists()


def test_dry_does_not_run_the_model_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "sdkgen.yaml"
    code, document, stderr = _invoke("init", "--model", "not_installed.models:build", "--input",
                                     "image:3x32x32", "--dry", "--out", str(out), "--json")
    assert code == 0, stderr
    assert document["model_run"] is False
    text = out.read_text()
    assert "Written with --dry: the model was NOT run" in text
    assert [o["name"] for o in yaml.safe_load(text)["outputs"]] == ["output"]
    assert "not_installed" not in sys.modules


# init → build with no edit in between, on real architectures with several outputs
ARCHITECTURES = {
    "bert_encoder": ["--input", "tensor:1x16:int64"],
    "question_answering": ["--input", "tensor:1x16:int64"],
    "gru": ["--input", "tensor:1x10x8"],
    "attention": ["--input", "tensor:1x5x16", "--input", "tensor:1x7x16", "--input", "tensor:1x7x16"],
    "timm_features": ["--input", "image:3x64x64"],
    "fpn_backbone": ["--input", "image:3x64x64"],
}


@pytest.mark.slow
@pytest.mark.parametrize("factory", sorted(ARCHITECTURES))
def test_init_then_build_without_edits(factory: str, tmp_path: Path) -> None:
    spec = tmp_path / "sdkgen.yaml"
    code, document, stderr = _invoke("init", "--model", f"multi_output_models:{factory}",
                                     *ARCHITECTURES[factory], "--out", str(spec), "--json")
    assert code == 0, stderr
    assert len(document["outputs"]) >= 2
    code, document, stderr = _invoke("build", str(spec), "--platform", "android",
                                     "--out", str(tmp_path / "out"), "--json")
    assert code == 0, stderr
    android = document["report"]["platforms"][0]
    assert android["status"] == "built" and android["parity"]["status"] == "passed"
    assert len(android["parity"]["outputs"]) == len(yaml.safe_load(spec.read_text())["outputs"])
