"""text-generation definitions: init --hf/--gguf writes them, validate refuses what cannot be built.

Each refusal names the field and what to do; nothing here loads weights or exports.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from llm_models import save_tiny_model

from sdkgen.cli import cli


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    for family in ("llama", "gemma"):
        save_tiny_model(family, root / family)
    return root


def _init(folder: Path, out: Path) -> dict:
    result = CliRunner().invoke(cli, ["init", "--hf", str(folder), "--out", str(out), "--json"])
    return {"code": result.exit_code, **json.loads(result.stdout)}


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    return result.exit_code, json.loads(result.stdout)


def _edited(path: Path, edit: dict, tmp_path: Path) -> Path:
    document = yaml.safe_load(path.read_text())
    for dotted, value in edit.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    target = tmp_path / f"edited-{len(list(tmp_path.iterdir()))}.yaml"
    target.write_text(yaml.safe_dump(document, allow_unicode=True))
    return target


@pytest.fixture(scope="module")
def definition(models: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("definition") / "sdkgen.yaml"
    assert _init(models / "llama", out)["code"] == 0
    return out


def test_init_hf_writes_a_valid_text_generation_definition(definition: Path) -> None:
    document = yaml.safe_load(definition.read_text())
    generation = document["generation"]
    assert document["task"] == "text-generation"
    assert generation["architecture"] == "llama"
    assert generation["context_length"] == 256  # the model's positions (below the 2048 cap)
    assert generation["special_tokens"] == {"bos_id": 0, "add_bos": False, "eos_ids": [1, 2]}
    assert generation["chat_template"] == "source"
    assert document["platforms"]["ios"]["minimum_version"] == "18.0"
    code, result = _validate(definition)
    assert code == 0 and result["status"] == "ok" and result["warnings"] == []


def test_architecture_that_cannot_be_exported_is_named_with_the_list(
        models: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--hf", str(models / "gemma"),
                                      "--out", str(tmp_path / "g.yaml"), "--json"])
    error = json.loads(result.stdout)["error"]
    assert result.exit_code == 3
    assert "cannot export the architecture 'gemma'" in error["message"]
    assert "GELU feed-forward" in error["message"]
    assert error["hint"] == ("architectures that export: llama, mistral, phi3, qwen2, qwen3")
    assert not (tmp_path / "g.yaml").exists()


def test_context_length_beyond_the_model_positions(definition: Path, tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"generation.context_length": 512}, tmp_path))
    assert code == 3
    assert result["error"]["message"].startswith("generation.context_length: 512 is beyond the "
                                                 "model's 256 positions")


def test_ios_minimum_below_18_for_the_stateful_model(definition: Path, tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"platforms.ios.minimum_version": "17.0"},
                                     tmp_path))
    assert code == 3
    assert "platforms.ios.minimum_version: 17.0 is below 18.0" in result["error"]["message"]
    assert "MLState" in result["error"]["message"]


def test_tokenizer_larger_than_the_embedding(models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "small-embedding"
    save_tiny_model("llama", folder)
    config = json.loads((folder / "config.json").read_text())
    config["vocab_size"] = 2000  # the tokenizer has 3,000 ids
    (folder / "config.json").write_text(json.dumps(config))
    result = CliRunner().invoke(cli, ["init", "--hf", str(folder), "--out",
                                      str(tmp_path / "s.yaml"), "--json"])
    assert result.exit_code == 3
    assert ("the tokenizer produces 3000 ids but the embedding has 2000 rows"
            in json.loads(result.stdout)["error"]["message"])


def test_model_too_large_for_the_phone_is_a_warning_with_sizes(definition: Path,
                                                               tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"generation.memory_budget": {"android_mb": 1}},
                                     tmp_path))
    assert code == 0
    [android] = result["warnings"]  # the tiny model's float embeddings and cache: about 1.7 MB
    assert android.startswith("android: the model needs about 2 MB (weights in 8da4w plus a "
                              "256-token KV cache), above the 1 MB budget")


def test_architecture_must_match_the_model(definition: Path, tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"generation.architecture": "qwen2"}, tmp_path))
    assert code == 3
    assert result["error"]["message"] == ("generation.architecture: the definition says 'qwen2' "
                                          "but the model's config says 'llama'")


def test_unknown_task_and_unknown_field(definition: Path, tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"task": "speech"}, tmp_path))
    assert code == 3 and "unknown task 'speech'" in result["error"]["message"]
    code, result = _validate(_edited(definition, {"generation.contxt_length": 3}, tmp_path))
    assert code == 3
    assert "generation.contxt_length: unknown field (did you mean 'context_length'?)" in \
        result["error"]["message"]


def test_eos_ids_are_plural_and_unique(definition: Path, tmp_path: Path) -> None:
    code, result = _validate(_edited(definition, {"generation.special_tokens.eos_ids": []},
                                     tmp_path))
    assert code == 3 and "generation.special_tokens.eos_ids" in result["error"]["message"]
    code, result = _validate(_edited(definition, {"generation.special_tokens.eos_ids": [9000]},
                                     tmp_path))
    assert code == 3
    assert "id 9000 is beyond the tokenizer's 3000 ids" in result["error"]["message"]


def test_init_needs_exactly_one_source(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--out", str(tmp_path / "x.yaml"), "--json"])
    assert result.exit_code == 2
    assert "exactly one of --model, --hf or --gguf" in json.loads(result.stdout)["error"]["message"]


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_gguf_q4_alone_for_a_source_without_blocks(definition: Path, tmp_path: Path,
                                                  platform: str) -> None:
    """A Hugging Face folder has no llama.cpp blocks: a list of only gguf-q4 is refused at
    validate, with the format to add; listed first with a fallback, it is skipped at build."""
    code, result = _validate(_edited(definition, {f"generation.quantization.{platform}":
                                                  ["gguf-q4"]}, tmp_path))
    assert code == 3
    message = result["error"]["message"]
    assert message.startswith(f"generation.quantization.{platform}: gguf-q4 carries a GGUF "
                              "file's Q4_0/Q4_1 blocks, and this source is not a GGUF file")
    fallback = "8da4w" if platform == "android" else "int4_blockwise"
    assert fallback in result["error"]["hint"]
    code, _ = _validate(_edited(definition, {f"generation.quantization.{platform}":
                                             ["gguf-q4", fallback]}, tmp_path))
    assert code == 0


def test_published_text_generation_schema_is_current() -> None:
    from sdkgen.spec import json_schema

    published = Path(__file__).resolve().parents[1] / "docs" / "sdkgen.text-generation.schema.json"
    assert published.read_text() == json_schema("text-generation"), (
        "regenerate with: sdkgen schema --task text-generation > docs/sdkgen.text-generation.schema.json")


def test_validate_names_an_architecture_that_cannot_be_exported(definition: Path, models: Path,
                                                                 tmp_path: Path) -> None:
    """At validate too (not only at init): a definition whose model is a Gemma, and one whose
    config names an architecture sdkgen has never heard of."""
    import shutil

    gemma = _edited(definition, {"generation.source.hf": str(models / "gemma"),
                                 "generation.architecture": "gemma"}, tmp_path)
    code, result = _validate(gemma)
    assert code == 3
    assert result["error"]["message"].startswith(
        "generation.architecture: sdkgen cannot export the architecture 'gemma': it has GELU feed-forward")
    assert result["error"]["hint"] == "architectures that export: llama, mistral, phi3, qwen2, qwen3"
    folder = tmp_path / "unknown"
    shutil.copytree(models / "llama", folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "mamba"}))
    code, result = _validate(_edited(definition, {"generation.source.hf": str(folder),
                                                  "generation.architecture": "mamba"}, tmp_path))
    assert code == 3
    assert result["error"]["message"] == ("generation.architecture: sdkgen cannot export the "
                                          "architecture 'mamba'")
    assert "llama, mistral, phi3, qwen2, qwen3" in result["error"]["hint"]


def test_validate_refuses_a_tokenizer_larger_than_the_embedding(definition: Path, models: Path,
                                                                tmp_path: Path) -> None:
    """The model folder changed after init: validate names the source and both sizes."""
    import shutil

    folder = tmp_path / "shrunk"
    shutil.copytree(models / "llama", folder)
    config = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "vocab_size": 2048}))
    code, result = _validate(_edited(definition, {"generation.source.hf": str(folder)}, tmp_path))
    assert code == 3
    assert result["error"]["message"].startswith(
        "generation.source: the tokenizer produces 3000 ids but the embedding has 2048 rows")
    assert result["error"]["hint"] == "use the tokenizer the model was trained with"


def test_validate_says_ios_18_for_any_minimum_below_it(definition: Path, tmp_path: Path) -> None:
    for version in ("16.4", "17.6"):
        code, result = _validate(_edited(definition, {"platforms.ios.minimum_version": version},
                                         tmp_path))
        assert code == 3
        message = result["error"]["message"]
        assert f"platforms.ios.minimum_version: {version} is below 18.0" in message
        assert 'set minimum_version: "18.0"' in message
