"""The definition: field-pointing errors, file checks, schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sdkgen.errors import SpecError
from sdkgen.examples import EXAMPLES, example_path
from sdkgen.spec import json_schema, load_spec, validate_spec

MINIMAL = {
    "schema_version": 1,
    "name": "Tiny",
    "model": {"callable": "tiny:build"},
    "inputs": [{"name": "image", "image": {"width": 4, "height": 4}}],
    "outputs": [{"name": "scores", "tensor": {}}],
    "platforms": {"android": {"package": "com.example.tiny"}},
}


def _with(path: str, value: object) -> dict:
    document = json.loads(json.dumps(MINIMAL))
    *parents, last = path.split(".")
    node = document
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    return document


def _error(document: object) -> SpecError:
    with pytest.raises(SpecError) as caught:
        validate_spec(document)
    return caught.value


@pytest.mark.parametrize("name", EXAMPLES)
def test_bundled_examples_are_valid(name: str) -> None:
    loaded = load_spec(example_path(name) / "sdkgen.yaml")
    assert loaded.spec.name
    assert len(loaded.sha256) == 64


def test_minimal_definition_gets_defaults() -> None:
    spec = validate_spec(MINIMAL)
    assert spec.platforms.ios.precision == "float16"
    assert spec.inputs[0].tensor_shape() == (1, 3, 4, 4)
    assert spec.validation.tolerance_for("scores").max_abs_error == 1e-3


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("inputs.0.image.mean", [0.5, 0.5], "inputs[0].image.mean: expected 3 values (one per rgb channel), got 2"),
        ("inputs.0.image.std", [1, 0, 1], "inputs[0].image.std: every value must be greater than 0"),
        ("inputs.0.image.width", 0, "inputs[0].image.width: Input should be greater than or equal to 1"),
        ("inputs.0.image.layout", "chw", "inputs[0].image.layout: Input should be 'nchw' or 'nhwc'"),
        ("inputs.0.image.resize", "crop", "inputs[0].image.resize: Input should be 'stretch', 'center_crop' or 'letterbox'"),
        ("inputs.0.image.resize_shorter", 8, "inputs[0].image.resize_shorter: applies to resize: center_crop only"),
        ("inputs.0.image.fill", [1, 2, 3], "inputs[0].image.fill: applies to resize: letterbox only"),
        ("platforms.android.package", "Com.Example", "platforms.android.package: 'Com.Example' is not a valid Android package"),
        ("platforms.android.package", "com.example.class", "platforms.android.package: package segment 'class' is a Java keyword"),
        ("platforms.ios", {"minimum_version": "15.0"}, "platforms.ios.minimum_version: ML Program"),
        ("model.callable", "not a callable", "model.callable: expected 'package.module:function'"),
        ("version", "one", "version: expected a version such as 1.0.0"),
    ],
)
def test_errors_name_the_field(path: str, value: object, message: str) -> None:
    assert message in str(_error(_with(path, value)))


def test_resize_shorter_must_leave_room_for_the_crop() -> None:
    document = _with("inputs.0.image.resize", "center_crop")
    document["inputs"][0]["image"]["resize_shorter"] = 3
    assert "resize_shorter: must be at least max(width, height) = 4" in str(_error(document))
    document["inputs"][0]["image"]["resize_shorter"] = 4
    assert validate_spec(document).inputs[0].image.resize_shorter == 4


def test_letterbox_fill_takes_three_channel_values() -> None:
    document = _with("inputs.0.image.resize", "letterbox")
    document["inputs"][0]["image"]["fill"] = [1, 2]
    assert "inputs[0].image.fill: expected 3 values (red, green, blue), got 2" in str(_error(document))


def test_unknown_key_suggests_the_right_one() -> None:
    document = _with("inputs.0.image.colour", "rgb")
    error = _error(document)
    assert error.field == "inputs[0].image.colour"
    assert "unknown field (did you mean 'color'?)" in str(error)


def test_missing_field_and_every_error_listed() -> None:
    document = json.loads(json.dumps(MINIMAL))
    del document["platforms"]
    document["inputs"][0]["image"]["mean"] = [1]
    text = str(_error(document))
    assert "inputs[0].image.mean: expected 3 values" in text
    assert "platforms: required field is missing" in text


def test_duplicate_names_are_refused() -> None:
    document = _with("outputs", [{"name": "a", "tensor": {}}, {"name": "a", "tensor": {}}])
    assert "outputs[1].name: duplicate name 'a' (also outputs[0])" in str(_error(document))


def test_top_level_must_be_a_mapping() -> None:
    assert "expected a mapping" in str(_error(["not", "a", "mapping"]))


def _write(tmp_path: Path, document: dict, labels: bytes | None = None) -> Path:
    if labels is not None:
        (tmp_path / "labels.txt").write_bytes(labels)
    path = tmp_path / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


CLASSIFIER = _with("outputs", [{"name": "scores", "classification": {"labels": "labels.txt"}}])


def test_malformed_yaml_names_line(tmp_path: Path) -> None:
    path = tmp_path / "sdkgen.yaml"
    path.write_text("schema_version: 1\nname: [unclosed\n")
    with pytest.raises(SpecError, match=r"not valid YAML at line \d+, column \d+"):
        load_spec(path)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (None, r"outputs\[0\]\.classification\.labels: labels file .* not found"),
        (b"", "labels file .* is empty"),
        (b"cat\ndog\ncat\n", r"repeats \['cat'\]"),
        (b"caf\xe9\n", "is not UTF-8"),
    ],
)
def test_labels_file_problems(tmp_path: Path, labels: bytes | None, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        load_spec(_write(tmp_path, CLASSIFIER, labels))


def test_labels_are_read_exactly_and_resolved_against_the_file(tmp_path: Path) -> None:
    loaded = load_spec(_write(tmp_path, CLASSIFIER, "a \"q\"\n\\b\nÜ 日本 😀\n".encode()))
    assert loaded.labels["scores"] == ('a "q"', "\\b", "Ü 日本 😀")


def test_weights_file_must_exist(tmp_path: Path) -> None:
    document = _with("model.weights", "missing.pt")
    with pytest.raises(SpecError, match=r"model.weights: file .*missing.pt not found"):
        load_spec(_write(tmp_path, document))


def test_json_schema_is_published() -> None:
    schema = json.loads(json_schema())
    assert schema["title"] == "sdkgen model definition"
    assert {"model", "inputs", "outputs", "platforms"} <= set(schema["required"])
    assert "description" in schema["$defs"]["ImageInput"]["properties"]["scale"]


def test_published_schema_file_is_current() -> None:
    published = Path(__file__).resolve().parents[1] / "docs" / "sdkgen.schema.json"
    assert published.read_text() == json_schema(), "regenerate with: sdkgen schema > docs/sdkgen.schema.json"
