"""The text input kind, the embedding output kind and the text tasks, on a tokenizer trained here.

The definitions under ``tests/architectures/text_embedding`` use a WordPiece tokenizer trained by
``sdkgen.tokenizers.training.train_wordpiece`` and two-layer random-weight BERTs (transformers).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from sdkgen import golden
from sdkgen.errors import SpecError
from sdkgen.examples_source import raw_cases
from sdkgen.features.base import input_kind, output_kind
from sdkgen.features.embedding import cosine_similarity, pool
from sdkgen.plan import make_plan, with_cases, with_output_shapes
from sdkgen.spec import load_spec
from sdkgen.tasks import task_for

FOLDER = Path(__file__).parent / "architectures" / "text_embedding"
ENCODER = FOLDER / "sdkgen.yaml"
CLASSIFIER = FOLDER / "classifier.yaml"


def _definition(tmp_path: Path, change: dict | None = None, *, source: Path = ENCODER,
                tokenizer: dict | None = None) -> Path:
    """A copy of a text definition in ``tmp_path``; ``change`` is merged into its first input's
    ``text`` block, ``tokenizer`` replaces the tokenizer file's content."""
    document = yaml.safe_load(source.read_text(encoding="utf-8"))
    for name in ("text_encoder_model.py", "labels.txt"):
        shutil.copyfile(FOLDER / name, tmp_path / name)
    content = json.loads((FOLDER / "tokenizer.json").read_text(encoding="utf-8"))
    (tmp_path / "tokenizer.json").write_text(json.dumps(tokenizer or content), encoding="utf-8")
    document["inputs"][0]["text"].update(change or {})
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_one_text_input_feeds_several_tensors() -> None:
    plan = make_plan(load_spec(CLASSIFIER))
    assert plan.task == "text_classification"
    assert plan.feature_names[0] == ("input_ids", "attention_mask", "token_type_ids")
    assert {(i.source, i.shape, i.dtype, i.kind) for i in plan.inputs} == {
        ("message", (1, 24), "int64", "text")}
    assert [i.text.role for i in plan.inputs if i.text] == list(plan.feature_names[0])
    assert [i.source for i in plan.app_inputs] == ["message"]
    encoder = make_plan(load_spec(ENCODER))
    assert encoder.task == "text_embedding"
    assert encoder.outputs[0].embedding is not None
    assert encoder.outputs[0].embedding.mask == "attention_mask"


def test_tasks_of_text_models() -> None:
    assert task_for(("text", "text"), ("embedding",)).name == "text_embedding"
    assert task_for(("text",), ("classification",)).name == "text_classification"
    assert task_for(("text", "image"), ("classification",)).name == "tensor"
    assert task_for(("text",), ("embedding", "tensor")).name == "tensor"


def test_the_reference_is_the_tokenizers_library() -> None:
    from tokenizers import Tokenizer

    plan = make_plan(load_spec(CLASSIFIER))
    text = "Hello, wörld! naïve café — 你好 😀 " * 4
    reference = Tokenizer.from_file(str(FOLDER / "tokenizer.json"))
    reference.enable_truncation(24)
    reference.enable_padding(length=24, pad_id=0, pad_token="[PAD]")
    expected = reference.encode(text)
    tensors = {i.feature_name: input_kind("text").reference(np.asarray(text), i) for i in plan.inputs}
    assert tensors["input_ids"].tolist() == [expected.ids]
    assert tensors["attention_mask"].tolist() == [expected.attention_mask]
    assert tensors["token_type_ids"].tolist() == [expected.type_ids]
    assert tensors["input_ids"].dtype == np.int64 and tensors["input_ids"].shape == (1, 24)
    assert expected.ids[0] == reference.token_to_id("[CLS]")


def test_raw_text_values_are_checked() -> None:
    plan = make_plan(load_spec(ENCODER))
    kind, item = input_kind("text"), plan.inputs[0]
    assert kind.check_raw(np.asarray("a sentence"), item) is None
    assert "string" in kind.check_raw(np.zeros(3), item)
    assert kind.raw_bytes(np.asarray("naïve 😀"), item) == "naïve 😀".encode()


def test_text_golden_cases(tmp_path: Path) -> None:
    import torch

    from sdkgen import loading

    loaded = load_spec(ENCODER)
    plan = make_plan(loaded)
    model = loading.load_model(loaded)
    cases = []
    for case in raw_cases(loaded, plan):
        tensors = golden.preprocess(plan, case)
        outputs = loading.run_eager(model, tuple(torch.from_numpy(tensors[f])
                                                 for f in plan.feature_names[0]))
        cases.append(golden.GoldenCase(case.name, case.source, case.raw_inputs, tensors,
                                       {"embedding": outputs[0]}))
    plan = with_output_shapes(plan, [(1, 32, 32)])
    golden.write_golden(tmp_path, plan, cases)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    ids, mask = manifest["inputs"]
    assert ids["text"]["role"] == "input_ids" and mask["text"]["role"] == "attention_mask"
    assert ids["text"]["tokenizer"] == "text/text.tokenizer.json"
    first = manifest["cases"][0]
    raw = (tmp_path / first["inputs"]["input_ids"]["raw"]).read_bytes().decode("utf-8")
    assert raw == first["inputs"]["input_ids"]["text"] == str(cases[0].raw_inputs["text"])
    decoded = first["outputs"]["embedding"]["decoded"]
    assert len(decoded) == 32 and abs(float(np.linalg.norm(decoded)) - 1) < 1e-5
    # the tokenizer's own golden file: at least 300 cases under the input's options
    text_golden = json.loads((tmp_path / "text" / "text.json").read_text(encoding="utf-8"))
    assert text_golden["format"] == "sdkgen-golden-text"
    assert text_golden["tokenizer_file"] == "text.tokenizer.json"
    assert len(text_golden["cases"]) >= 300
    assert text_golden["options"]["max_length"] == 32
    assert (tmp_path / "text" / "text.tokenizer.json").read_bytes() == (
        FOLDER / "tokenizer.json").read_bytes()


def test_mean_pooling_matches_sentence_transformers_recipe() -> None:
    import torch

    rng = np.random.default_rng(0)
    hidden = rng.standard_normal((1, 6, 8)).astype(np.float32)
    mask = np.asarray([[1, 1, 1, 1, 0, 0]], dtype=np.int64)
    ours = pool(hidden, mask, "mean", normalize=True)
    h, m = torch.from_numpy(hidden), torch.from_numpy(mask).unsqueeze(-1).float()
    theirs = torch.nn.functional.normalize((h * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=1)
    np.testing.assert_allclose(ours, theirs[0].numpy(), atol=1e-6)
    assert cosine_similarity(ours, theirs[0].numpy()) == pytest.approx(1.0, abs=1e-7)
    np.testing.assert_array_equal(pool(hidden, None, "cls", normalize=False), hidden[0, 0])
    assert output_kind("embedding").decoded_entry([0.1, 1 / 3]) == [0.1, 0.33333334]


def test_validate_refuses_an_unsupported_tokenizer_component(tmp_path: Path) -> None:
    document = json.loads((FOLDER / "tokenizer.json").read_text(encoding="utf-8"))
    document["normalizer"] = {"type": "Sequence", "normalizers": [
        document["normalizer"], {"type": "Precompiled", "precompiled_charsmap": ""}]}
    path = _definition(tmp_path, tokenizer=document)
    with pytest.raises(SpecError) as raised:
        load_spec(path)
    message = str(raised.value)
    assert "inputs[0].text.tokenizer" in message
    assert "normalizer.normalizers[1] (Precompiled)" in message


def test_text_definition_errors_name_the_field(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"inputs\[0\]\.text\.feeds: .*input_ids"):
        load_spec(_definition(tmp_path, {"feeds": ["attention_mask"]}))
    with pytest.raises(SpecError, match=r"inputs\[0\]\.text\.tokenizer: tokenizer file .* not found"):
        load_spec(_definition(tmp_path, {"tokenizer": "missing.json"}))
    with pytest.raises(SpecError, match=r"outputs\[0\]\.embedding\.mask"):
        make_plan(load_spec(_definition(tmp_path, {"feeds": ["input_ids"]})))


def test_a_hostile_text_input_name_reaches_code_escaped(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from ios.fixtures import placeholder_mlpackage

    from sdkgen.codegen.platforms import generate_platform_tree

    hostile = 'Say "hi" */ ${x} \\(y)\nnew line 日本'
    path = _definition(tmp_path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["inputs"][0]["name"] = hostile
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    plan = with_output_shapes(make_plan(load_spec(path)), [(1, 32, 32)])
    assert {i.source for i in plan.inputs} == {"say_hi_x_y_new_line"}
    raw = golden.RawCase("case_0", "hand-written", {"say_hi_x_y_new_line": np.asarray(hostile)})
    plan = with_cases(plan, ("case_0",))
    golden_dir = tmp_path / "golden"
    golden.write_golden(golden_dir, plan, [golden.GoldenCase(
        "case_0", "hand-written", raw.raw_inputs, golden.preprocess(plan, raw),
        {"embedding": np.zeros((1, 32, 32), np.float32)})])
    model = tmp_path / "model.pte"
    model.write_bytes(b"stand-in")
    generate_platform_tree("android", plan, model_artifact=model, golden_dir=golden_dir,
                           out_dir=tmp_path / "android")
    generate_platform_tree("ios", plan, model_artifact=placeholder_mlpackage(tmp_path / "artifacts"),
                           golden_dir=golden_dir, out_dir=tmp_path / "ios")
    sources = [p for p in tmp_path.rglob("*") if p.suffix in (".kt", ".swift", ".kts")]
    assert sources and not [p for p in sources if hostile in p.read_text(encoding="utf-8")]
    assert (tmp_path / "ios/Sources/TinyTextEncoderCore/Resources/say_hi_x_y_new_line.tokenizer.json").is_file()
