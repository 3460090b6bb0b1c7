"""``sdkgen init`` for text models: ``--input text:N --tokenizer`` and ``--hf DIR``.

The Hugging Face folders are tiny random-weight BERTs saved here with ``save_pretrained`` and the
WordPiece tokenizer trained by ``sdkgen.tokenizers.training`` (tests/architectures/text_embedding).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sdkgen.cli import cli
from sdkgen.codegen import naming
from sdkgen.hf_init import HfFolder, family_for
from sdkgen.plan import make_plan
from sdkgen.spec import load_spec

FOLDER = Path(__file__).parent / "architectures" / "text_embedding"
TOKENIZER = FOLDER / "tokenizer.json"


def _invoke(*args: str) -> tuple[int, dict | None, str]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    document = json.loads(result.stdout) if result.stdout.strip() else None
    return result.exit_code, document, result.stderr


def _config(**extra: object) -> object:
    from transformers import BertConfig

    vocab = json.loads(TOKENIZER.read_text(encoding="utf-8"))["model"]["vocab"]
    return BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=1,
                      num_attention_heads=2, intermediate_size=64, max_position_embeddings=64,
                      **extra)


def _hf_folder(path: Path, *, classifier: bool, sentence_transformers: bool = False) -> Path:
    import torch
    from transformers import BertForSequenceClassification, BertModel

    torch.manual_seed(0)
    if classifier:
        model = BertForSequenceClassification(_config(
            num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
            label2id={"negative": 0, "neutral": 1, "positive": 2}))
    else:
        model = BertModel(_config())
    model.save_pretrained(str(path))
    shutil.copyfile(TOKENIZER, path / "tokenizer.json")
    if sentence_transformers:
        (path / "modules.json").write_text(json.dumps([
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        ]))
        (path / "1_Pooling").mkdir()
        (path / "1_Pooling" / "config.json").write_text(json.dumps(
            {"pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False}))
    return path


def test_init_model_with_a_text_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(FOLDER))
    shutil.copyfile(TOKENIZER, tmp_path / "tokenizer.json")
    out = tmp_path / "sdkgen.yaml"
    code, document, stderr = _invoke("init", "--model", "text_encoder_model:build_model",
                                     "--input", "text:16", "--tokenizer", "tokenizer.json",
                                     "--out", str(out))
    assert code == 0, stderr
    assert document is not None and document["outputs"][0]["shape"] == [1, 16, 32]
    spec = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert spec["inputs"][0]["text"]["feeds"] == ["input_ids", "attention_mask"]
    assert spec["outputs"][0]["embedding"] == {"pooling": "mean", "normalize": True}
    assert make_plan(load_spec(out)).task == "text_embedding"


def test_init_text_input_needs_a_tokenizer(tmp_path: Path) -> None:
    code, _, stderr = _invoke("init", "--model", "m:f", "--input", "text:16", "--dry",
                              "--out", str(tmp_path / "x.yaml"))
    assert code != 0 and "--tokenizer" in stderr


def test_init_hf_sentence_embedding(tmp_path: Path) -> None:
    folder = _hf_folder(tmp_path / "models" / "tiny bert 'q", classifier=False,
                        sentence_transformers=True)
    out = tmp_path / "defs" / "sdkgen.yaml"
    out.parent.mkdir()
    code, document, stderr = _invoke("init", "--hf", str(folder), "--max-length", "24",
                                     "--out", str(out))
    assert code == 0, stderr
    assert document is not None and document["family"] == "sentence_embedding"
    assert document["pooling"] == "cls" and document["normalize"] is False
    plan = make_plan(load_spec(out))
    assert plan.task == "text_embedding"
    assert plan.feature_names[0] == ("input_ids", "attention_mask", "token_type_ids")
    module = (out.parent / "hf_model.py").read_text(encoding="utf-8")
    assert naming.python_string("../models/tiny bert 'q") in module
    # the written definition builds its model without edits: load it and run it
    from sdkgen import loading

    model = loading.load_model(load_spec(out))
    (hidden,) = loading.run_eager(model, model.example_inputs)
    assert hidden.shape == (1, 24, 32)


def test_init_hf_sequence_classification(tmp_path: Path) -> None:
    folder = _hf_folder(tmp_path / "classifier", classifier=True)
    out = tmp_path / "sdkgen.yaml"
    code, document, stderr = _invoke("init", "--hf", str(folder), "--out", str(out))
    assert code == 0, stderr
    assert document is not None and document["family"] == "sequence_classification"
    assert (tmp_path / "labels.txt").read_text(encoding="utf-8") == "negative\nneutral\npositive\n"
    loaded = load_spec(out)
    assert make_plan(loaded).task == "text_classification"
    from sdkgen import loading

    model = loading.load_model(loaded)
    (logits,) = loading.run_eager(model, model.example_inputs)
    assert logits.shape == (1, 3)
    code, _, stderr = _invoke("init", "--hf", str(folder), "--out", str(out))
    assert code != 0 and "exists" in stderr


def test_hf_families_are_chosen_from_the_config(tmp_path: Path) -> None:
    def family(config: dict) -> str:
        return family_for(HfFolder(path=tmp_path, config=config)).name

    assert family({"model_type": "bert", "architectures": ["BertModel"]}) == "sentence_embedding"
    assert family({"model_type": "roberta", "architectures": ["RobertaForSequenceClassification"]}
                  ) == "sequence_classification"
    code, _, stderr = _invoke("init", "--hf", str(tmp_path), "--out", str(tmp_path / "x.yaml"))
    assert code != 0 and "config.json" in stderr
    (tmp_path / "config.json").write_text(json.dumps(
        {"model_type": "whisper", "architectures": ["WhisperForConditionalGeneration"]}))
    code, _, stderr = _invoke("init", "--hf", str(tmp_path), "--out", str(tmp_path / "x.yaml"))
    assert code != 0 and "no sdkgen task serves model_type 'whisper'" in stderr


def test_python_string_round_trips_hostile_paths() -> None:
    for text in ["a'b", 'a"b', "back\\slash", "new\nline", "日本 😀", "\udc80 lone", "'''", "\x00"]:
        literal = naming.python_string(text)
        assert literal.isascii() and eval(literal) == text  # the literal is what Python reads
