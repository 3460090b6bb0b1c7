"""Tokenizers trained here with the ``tokenizers`` trainers, one per SentencePiece/GPT-2 family.

Small vocabularies (a few thousand) trained on text that installed packages ship (see
``sources``), so the fixtures are small, offline and not specific to any one published model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sdkgen.tokenizers import sources
from sdkgen.tokenizers.support import LLAMA3_SPLIT, QWEN2_SPLIT

BYTE_TOKENS = tuple(f"<0x{value:02X}>" for value in range(256))


def _training_lines() -> Iterator[str]:
    yield from sources.english_text().splitlines()
    yield from sources.mixed_script_text().splitlines()


def train_bytelevel_bpe(path: Path, vocab_size: int = 3000) -> Path:
    """GPT-2 style: byte-level pre-tokeniser and decoder, RoBERTa-style ``<s> … </s>``."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  special_tokens=["<pad>", "<s>", "</s>", "<mask>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(_training_lines(), trainer=trainer)
    tokenizer.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=True),
        processors.RobertaProcessing(("</s>", tokenizer.token_to_id("</s>")),
                                     ("<s>", tokenizer.token_to_id("<s>"))),
    ])
    tokenizer.save(str(path))
    return path


def train_split_bpe(path: Path, pattern: str, vocab_size: int = 3000) -> Path:
    """Llama-3 / Qwen2 style: a Split regex, then byte-level without its own regex."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE(ignore_merges=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  special_tokens=["<|begin_of_text|>", "<|end_of_text|>",
                                                  "<|eot_id|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tokenizer.train_from_iterator(_training_lines(), trainer=trainer)
    begin = tokenizer.token_to_id("<|begin_of_text|>")
    tokenizer.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A",
                                      pair="<|begin_of_text|> $A <|begin_of_text|> $B:1",
                                      special_tokens=[("<|begin_of_text|>", begin)]),
    ])
    tokenizer.save(str(path))
    return path


def train_llama3_bpe(path: Path) -> Path:
    return train_split_bpe(path, LLAMA3_SPLIT)


def train_qwen2_bpe(path: Path) -> Path:
    return train_split_bpe(path, QWEN2_SPLIT)


def train_unigram(path: Path, vocab_size: int = 2000) -> Path:
    """T5/ALBERT style: Unigram with a Metaspace pre-tokeniser, accents stripped, lower case."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.Unigram())
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(),
                                                 normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    trainer = trainers.UnigramTrainer(vocab_size=vocab_size, show_progress=False,
                                      special_tokens=["<pad>", "<cls>", "</s>", "<unk>"],
                                      unk_token="<unk>")
    tokenizer.train_from_iterator(_training_lines(), trainer=trainer)
    tokenizer.post_processor = processors.BertProcessing(
        ("</s>", tokenizer.token_to_id("</s>")), ("<cls>", tokenizer.token_to_id("<cls>")))
    tokenizer.save(str(path))
    return path


def train_llama_bpe(path: Path, vocab_size: int = 3000) -> Path:
    """Llama-2 style: ``▁`` replaces spaces in the normaliser, BPE with byte fallback, ``<s>`` first."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="first")
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                  special_tokens=["<unk>", "<s>", "</s>", *BYTE_TOKENS])
    tokenizer.train_from_iterator(_training_lines(), trainer=trainer)
    tokenizer.pre_tokenizer = None
    tokenizer.normalizer = normalizers.Sequence([normalizers.Prepend("\u2581"),
                                                 normalizers.Replace(" ", "\u2581")])
    tokenizer.decoder = decoders.Sequence([decoders.Replace("\u2581", " "), decoders.ByteFallback(),
                                           decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", pair="<s> $A <s> $B", special_tokens=[("<s>", tokenizer.token_to_id("<s>"))])
    tokenizer.save(str(path))
    _edit(path, _bytes_are_vocabulary)
    return path


def metaspace_variant(source: Path, path: Path) -> Path:
    """The byte-fallback BPE with newer Llama conversions' pipeline: a Metaspace pre-tokenizer
    (prepend ``▁`` to the first piece only, no split) and the Metaspace decoder, no normaliser."""
    document = json.loads(source.read_text(encoding="utf-8"))
    document["normalizer"] = None
    document["pre_tokenizer"] = {"type": "Metaspace", "replacement": "\u2581",
                                 "prepend_scheme": "first", "split": False}
    document["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
        {"type": "ByteFallback"}, {"type": "Fuse"}]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def normalizer_variant(source: Path, path: Path, normalizer: dict[str, Any]) -> Path:
    """``source`` with another normaliser (as in published conversions: Qwen2's byte-level BPE
    puts NFC first; some SentencePiece conversions NFKC or NFKD), the rest unchanged."""
    document = json.loads(source.read_text(encoding="utf-8"))
    document["normalizer"] = normalizer
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def _bytes_are_vocabulary(document: dict[str, Any]) -> None:
    """Byte tokens are ordinary vocabulary in Llama-2, not added tokens matched in the text."""
    document["added_tokens"] = [token for token in document["added_tokens"]
                                if token["content"] not in BYTE_TOKENS]


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def train_wordpiece(path: Path, vocab_size: int = 2000,
                    lines: Callable[[], Iterator[str]] = _training_lines) -> Path:
    """BERT style: BERT normaliser (lower case, accents stripped) and pre-tokeniser, WordPiece
    with ``##`` continuations, ``[CLS] … [SEP]`` and ``[PAD]`` at id 0."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True, strip_accents=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, show_progress=False,
                                        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tokenizer.train_from_iterator(lines(), trainer=trainer)
    tokenizer.post_processor = processors.BertProcessing(
        ("[SEP]", tokenizer.token_to_id("[SEP]")), ("[CLS]", tokenizer.token_to_id("[CLS]")))
    tokenizer.save(str(path))
    return path
