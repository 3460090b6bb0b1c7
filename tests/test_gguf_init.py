"""``sdkgen init --gguf`` → ``sdkgen build`` on a tiny GGUF written here (``llm_fixtures``).

The GGUF is what llama.cpp's converter writes for a 2-layer random Llama with a byte-level BPE
tokenizer in its metadata; ``transformers`` + ``gguf`` read it back (weights dequantised, q/k rows
un-permuted, the tokenizer rebuilt from ``tokenizer.ggml.*``), and the Android build proves the
float ``.pte`` against that eager model token for token.
"""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.slow
def test_init_gguf_then_build_android_with_greedy_parity(tmp_path: Path) -> None:
    write_tiny_gguf(tmp_path / "tiny.gguf")
    definition = tmp_path / "sdkgen.yaml"
    result = CliRunner().invoke(cli, ["init", "--gguf", str(tmp_path / "tiny.gguf"), "--out",
                                      str(definition)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(definition.read_text())
    generation = document["generation"]
    assert generation["source"] == {"gguf": "tiny.gguf"}
    assert generation["architecture"] == "llama" and generation["chat_template"] == "source"
    # <|end_of_text|> (the file's eos), <|eot_id|> and <|endoftext|> (end-of-turn texts init knows)
    assert generation["special_tokens"]["eos_ids"] == [1, 2, 3000]
    for dotted, value in {**FAST, "generation.quantization.android": ["fp32"]}.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    definition.write_text(yaml.safe_dump(document, allow_unicode=True))
    report = build_definition(definition, tmp_path / "build", "android")
    assert report["model"]["source"] == {"kind": "gguf", "file": "tiny.gguf"}
    [variant] = report["android"]["variants"]
    parity = variant["greedy_parity"]
    assert parity["status"] == "passed"
    assert parity["identical_tokens"] == parity["total_tokens"] == 2 * 12
    assert variant["runner_smoke"]["matches_python_greedy"] is True
    assert (tmp_path / "build" / "android" / "settings.gradle.kts").is_file()
