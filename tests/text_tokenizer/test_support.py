"""``check_supported`` accepts what the SDK tokenizers implement and names what they do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdkgen.errors import SpecError
from sdkgen.tokenizers import check_supported
from sdkgen.tokenizers.fixtures import COMMITTED, FIXTURES, tokenizer_path


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _committed(name: str) -> dict[str, Any]:
    fixture = next(f for f in FIXTURES if f.name == name)
    return json.loads(tokenizer_path(COMMITTED, fixture).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", [f.name for f in FIXTURES if f.committed])
def test_committed_fixtures_are_supported(name: str) -> None:
    fixture = next(f for f in FIXTURES if f.name == name)
    summary = check_supported(tokenizer_path(COMMITTED, fixture))
    assert summary.model in ("BPE", "Unigram")
    assert summary.vocab_size > 1000


def test_summary_of_the_byte_fallback_tokenizer() -> None:
    summary = check_supported(tokenizer_path(COMMITTED, next(f for f in FIXTURES
                                                              if f.name == "bpe-bytefallback")))
    assert summary.normalizer == ("Prepend", "Replace")
    assert summary.decoder == ("Replace", "ByteFallback", "Fuse", "Strip")
    assert summary.special_tokens == ("<unk>", "<s>", "</s>")


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.update(normalizer={"type": "Sequence", "normalizers": [
        {"type": "NFD"}, {"type": "Precompiled", "precompiled_charsmap": "AA=="}]}),
     "normalizer.normalizers[1] (Precompiled)"),
    (lambda d: d.update(normalizer={"type": "Nmt"}), "normalizer (Nmt)"),
    (lambda d: d.update(pre_tokenizer={"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Isolated", "invert": False}]}),
     "pre_tokenizer.pretokenizers[0].pattern (Split)"),
    (lambda d: d["decoder"]["decoders"][0].update(pattern={"Regex": "▁"}),
     "decoder.decoders[0].pattern (Replace)"),
    (lambda d: d.update(post_processor={"type": "Whatever"}), "post_processor (Whatever)"),
    (lambda d: d["model"].update(dropout=0.1), "model.dropout (BPE)"),
    (lambda d: d["added_tokens"][1].update(lstrip=True), "added_tokens[1] (AddedToken)"),
    (lambda d: d["added_tokens"][0].update(normalized=True, special=False),
     "added_tokens[0] (AddedToken)"),
])
def test_unsupported_components_are_named_with_their_path(tmp_path: Path, edit: Any,
                                                          message: str) -> None:
    document = _committed("bpe-bytefallback")
    edit(document)
    with pytest.raises(SpecError) as raised:
        check_supported(_write(tmp_path, document))
    assert message in str(raised.value)
    assert "tokenizer.json" in str(raised.value)


def test_an_unreadable_file_is_a_spec_error(tmp_path: Path) -> None:
    path = tmp_path / "tokenizer.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SpecError, match="cannot read the tokenizer"):
        check_supported(path)


@pytest.mark.parametrize("form", ["NFC", "NFKC", "NFD", "NFKD"])
def test_every_unicode_normalization_form_is_supported(tmp_path: Path, form: str) -> None:
    """Qwen2's tokenizer normalizes with NFC; SentencePiece conversions with NFKC or NFKD."""
    document = _committed("bpe-qwen2")
    document["normalizer"] = {"type": "Sequence", "normalizers": [{"type": form},
                                                                 {"type": "Lowercase"}]}
    assert check_supported(_write(tmp_path, document)).normalizer == (form, "Lowercase")


def test_transformers_qwen2_tokenizer_is_supported_and_golden_cases_compose(tmp_path: Path) -> None:
    """transformers' own Qwen2 tokenizer (NFC, the Qwen2 split, byte-level, ``<|endoftext|>``
    added), built over the trained bpe-qwen2 vocabulary: what ``init --hf`` of a Qwen2 folder
    saves. Its golden cases are written, decomposed and precomposed accents and Hangul jamo and
    syllables giving the same ids."""
    from transformers import Qwen2Tokenizer

    from sdkgen.tokenizers.golden import TextOptions, golden_document

    document = _committed("bpe-qwen2")
    merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m)
              for m in document["model"]["merges"]]
    tokenizer = Qwen2Tokenizer(vocab=document["model"]["vocab"], merges=merges)
    path = tmp_path / "qwen2.tokenizer.json"
    tokenizer.backend_tokenizer.save(str(path))
    summary = check_supported(path)
    assert summary.normalizer == ("NFC",)
    assert summary.pre_tokenizer == ("Split", "ByteLevel")
    assert summary.special_tokens == ("<|endoftext|>",)
    pairs = [("cafe\u0301", "café"), ("A\u030a", "\u212b"), ("\u1112\u1161\u11ab", "한"),
             ("e\u0302\u0323", "e\u0323\u0302")]
    golden = golden_document(path, [text for pair in pairs for text in pair], [], TextOptions())
    ids = [case["ids"] for case in golden["cases"]]
    assert all(ids[2 * i] == ids[2 * i + 1] for i in range(len(pairs))), ids
