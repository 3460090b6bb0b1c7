"""``sdkgen init --gguf`` → ``sdkgen build`` on a tiny GGUF written here (``llm_fixtures``).

The GGUF is what llama.cpp's converter writes for a 2-layer random Llama with a byte-level BPE
tokenizer in its metadata; ``transformers`` + ``gguf`` read it back (weights dequantised, q/k rows
un-permuted, the tokenizer rebuilt from ``tokenizer.ggml.*``), and the Android build proves the
float ``.pte`` against that eager model token for token.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from llm_fixtures import write_tiny_gguf
from llm_models import FAST, TOKENIZER, build_definition

from sdkgen.cli import cli


def test_the_tiny_gguf_reads_back_as_the_model_and_tokenizer_it_was_written_from(tmp_path: Path) -> None:
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    from sdkgen.llm.definition import GenerationModelSpec
    from sdkgen.llm.source import load_eager

    tiny = write_tiny_gguf(tmp_path / "tiny.gguf")
    assert tiny.path.stat().st_size < 2_500_000
    spec = GenerationModelSpec.model_validate({
        "schema_version": 1, "task": "text-generation", "name": "tiny",
        "generation": {"source": {"gguf": "tiny.gguf"}, "architecture": "llama", "context_length": 64,
                       "special_tokens": {"eos_ids": [1]}},
        "platforms": {"android": {"package": "com.example.tiny"}}})
    loaded = load_eager(spec, tmp_path).state_dict()
    written = tiny.model.state_dict()
    assert loaded.keys() == written.keys()
    assert all(torch.equal(loaded[name], written[name]) for name in written)  # q/k un-permuted
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path), gguf_file="tiny.gguf")
    reference = Tokenizer.from_file(str(TOKENIZER))
    for text in ("Hello, world! I'm 12345 here.", "naïve café 日本語 😀\n\n  x",
                 "<|begin_of_text|>user\nHi<|eot_id|>"):
        assert tokenizer.encode(text, add_special_tokens=False) == \
            reference.encode(text, add_special_tokens=False).ids
    assert len(tokenizer) == 3072  # <|endoftext|> and the padding rows are the file's own ids


def _init(gguf: Path, definition: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["init", "--gguf", str(gguf), "--out", str(definition)])
    assert result.exit_code == 0, result.output
    return dict(yaml.safe_load(definition.read_text()))


def _override(document: dict[str, Any], values: dict[str, Any], definition: Path) -> None:
    for dotted, value in values.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    definition.write_text(yaml.safe_dump(document, allow_unicode=True))


@pytest.mark.slow
def test_init_gguf_then_build_android_with_greedy_parity(tmp_path: Path) -> None:
    write_tiny_gguf(tmp_path / "tiny.gguf")
    definition = tmp_path / "sdkgen.yaml"
    document = _init(tmp_path / "tiny.gguf", definition)
    generation = document["generation"]
    assert generation["source"] == {"gguf": "tiny.gguf"}
    assert generation["architecture"] == "llama" and generation["chat_template"] == "source"
    # <|end_of_text|> (the file's eos), <|eot_id|> and <|endoftext|> (end-of-turn texts init knows)
    assert generation["special_tokens"]["eos_ids"] == [1, 2, 3000]
    assert generation["quantization"]["ios"] == ["int4_blockwise", "fp16"]  # float weights
    _override(document, {**FAST, "generation.quantization.android": ["fp32"]}, definition)
    report = build_definition(definition, tmp_path / "build", "android")
    assert report["model"]["source"] == {"kind": "gguf", "file": "tiny.gguf"}
    [variant] = report["android"]["variants"]
    parity = variant["greedy_parity"]
    assert parity["status"] == "passed"
    assert parity["identical_tokens"] == parity["total_tokens"] == 2 * 12
    assert variant["runner_smoke"]["matches_python_greedy"] is True
    assert (tmp_path / "build" / "android" / "settings.gradle.kts").is_file()


@pytest.mark.slow
def test_init_gguf_then_build_ios_carries_the_file_blocks(tmp_path: Path) -> None:
    """A Q4_1 file: iOS ships gguf-q4 first; the layers' blocks are carried as they are, the
    float32 embedding (no blocks) is 8-bit per channel, and the simulation uses the weights read
    back from the package."""
    write_tiny_gguf(tmp_path / "tiny.gguf", quantization="Q4_1")
    definition = tmp_path / "sdkgen.yaml"
    document = _init(tmp_path / "tiny.gguf", definition)
    assert document["generation"]["quantization"]["ios"] == ["gguf-q4", "int4_blockwise", "fp16"]
    _override(document, FAST, definition)
    report = build_definition(definition, tmp_path / "build", "ios")
    ios = report["ios"]
    assert ios["quantization"] == "gguf-q4"
    assert all(check["passed"] for check in ios["spec_check"]), ios["spec_check"]
    blocks = ios["gguf_blocks"]
    assert blocks["tensors_by_format"] == {"Q4_1": 7 * 2}  # 2 layers, 7 projections each
    assert blocks["codes_and_scales_identical"] is True
    assert 0 < blocks["max_change_in_steps"]["Q4_1"] < 1 / 64
    assert blocks["int8_per_channel"] == ["output.weight", "tok_embeddings.weight"]
    simulated = ios["simulated_quantized_agreement"]
    assert simulated["name"] == "Core ML gguf-q4 (simulated, PyTorch float16)"
    assert simulated["top1_agreement"] >= 0.9
    markdown = (tmp_path / "build" / "report.md").read_text(encoding="utf-8")
    assert "14 weight matrices carried as the GGUF file's blocks (14 Q4_1)" in markdown

