"""The golden text writer: the agreed format, enough hostile cases, reproducible bytes."""

from __future__ import annotations

import json
from pathlib import Path

from sdkgen.tokenizers.corpus import MINIMUM_CASES, corpus
from sdkgen.tokenizers.fixtures import FIXTURES, write_fixture
from sdkgen.tokenizers.golden import FORMAT, TextOptions, golden_document


def _fixture(name: str):  # type: ignore[no-untyped-def]
    return next(f for f in FIXTURES if f.name == name)


def test_corpus_is_large_and_hostile() -> None:
    texts = corpus(["<s>", "</s>"])
    assert len(texts) >= MINIMUM_CASES
    assert len(set(texts)) == len(texts)
    joined = "".join(texts)
    for needle in ("", "\u200d", "\u0301", "日本", "مرحبا", "नमस्ते", "ภาษาไทย", "\u3000", "\u00a0",
                   "\u0000", "\t", "\r\n", "<s>"):
        assert needle in joined or needle in texts
    assert max(len(t) for t in texts) > 1500  # inputs that truncate


def test_golden_file_format_and_determinism(tmp_path: Path) -> None:
    first = write_fixture(_fixture("unigram"), tmp_path / "a")
    second = write_fixture(_fixture("unigram"), tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT and document["format_version"] == 1
    assert document["tokenizer_file"] == "unigram.tokenizer.json"
    assert len(document["cases"]) >= MINIMUM_CASES
    for case in document["cases"]:
        assert set(case) == {"name", "text", "ids", "attention_mask", "type_ids", "decoded",
                             "decoded_skip_special"}
        assert len(case["ids"]) == len(case["attention_mask"]) == len(case["type_ids"])
    for case in document["stream_cases"]:
        assert len(case["pieces"]) == len(case["ids"])


def test_truncation_and_padding_follow_the_options(tmp_path: Path) -> None:
    fixture = _fixture("bpe-bytelevel")
    path = write_fixture(fixture, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    length = fixture.options.max_length
    assert {len(case["ids"]) for case in document["cases"]} == {length}
    empty = next(case for case in document["cases"] if case["text"] == "")
    assert empty["attention_mask"].count(1) == 2  # <s> </s>, then padding


def test_stream_pieces_never_split_a_character(tmp_path: Path) -> None:
    fixture = _fixture("bpe-bytefallback")
    path = write_fixture(fixture, tmp_path)
    document = golden_document(tmp_path / f"{fixture.name}.tokenizer.json", [], ["🇯🇵 👨‍👩‍👧"],
                               TextOptions())
    assert document["stream_cases"][1]["skip_special_tokens"]
    pieces = document["stream_cases"][1]["pieces"]
    assert "" in pieces and "\ufffd" not in "".join(pieces)
    assert "".join(pieces).strip() == "🇯🇵 👨‍👩‍👧"
    assert path.is_file()  # the rule itself is checked against DecodeStream while writing
