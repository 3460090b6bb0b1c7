"""The tokenizer fixtures every tokenizer test uses, and their golden text files.

Eleven tokenizers, one or more per family: ``wordpiece-minilm`` and ``bpe-smollm2`` are read from
installed packages at test time (too large to commit); ``bpe-bytelevel``, ``bpe-llama3``,
``bpe-qwen2``, ``unigram`` and ``bpe-bytefallback`` are trained here (``training``) and
committed under ``tests/text_tokenizer/data``, as the trainers are not promised to be
deterministic across versions; ``bpe-metaspace`` is ``bpe-bytefallback`` with another pipeline,
``bpe-qwen2-nfc`` is ``bpe-qwen2`` with Qwen2's NFC normaliser, ``unigram-nfkc`` and
``unigram-nfkd`` are ``unigram`` with the compatibility forms (each form alone, so that none hides
another's mistakes).

``python -m sdkgen.tokenizers.fixtures OUT [--retrain]`` writes, into ``OUT``, every
``<name>.tokenizer.json`` and its golden ``<name>.json``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sdkgen.tokenizers import sources, training
from sdkgen.tokenizers.golden import TextOptions, write_tokenizer_golden

COMMITTED = Path(__file__).resolve().parents[2] / "tests" / "text_tokenizer" / "data"
STREAM_TEXTS = (
    "Hello, streaming world!", "naïve café 😀 👨‍👩‍👧‍👦 done", "你好，世界！日本語 한국어", "مرحبا नमस्ते สวัสดี",
    "\u00a0tabs\tand\nnewlines\r\n", "e\u0301 Z\u0351\u036b\u0343 🇯🇵🇺🇸 ẞ", "", "<s> [CLS] <|im_start|>",
)


@dataclass(frozen=True)
class Fixture:
    """One tokenizer: how to get its ``tokenizer.json`` and how its SDK encodes."""

    name: str
    family: str
    options: TextOptions
    produce: Callable[[Path], Path]  # writes the tokenizer.json to the given path
    committed: bool  # trained here and committed under COMMITTED


def _copy_minilm(path: Path) -> Path:
    shutil.copyfile(sources.minilm_tokenizer(), path)
    return path


def _extract_smollm2(path: Path) -> Path:
    """The GGUF's tokenizer as transformers converts it, saved by the ``tokenizers`` library."""
    from transformers import AutoTokenizer

    gguf = sources.smollm2_gguf()
    tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tokenizer.backend_tokenizer.save(str(path))
    return path


def _metaspace_variant(path: Path) -> Path:
    source = COMMITTED / "bpe-bytefallback.tokenizer.json"
    if not source.is_file():
        source = training.train_llama_bpe(path.with_name("bpe-bytefallback.source.json"))
    return training.metaspace_variant(source, path)


def _committed_or_trained(name: str, train: Callable[[Path], Path], path: Path) -> Path:
    source = COMMITTED / f"{name}.tokenizer.json"
    return source if source.is_file() else train(path.with_name(f"{name}.source.json"))


def _nfc_variant(path: Path) -> Path:
    """``bpe-qwen2`` as transformers' Qwen2 tokenizer has it: NFC before the split regex."""
    source = _committed_or_trained("bpe-qwen2", training.train_qwen2_bpe, path)
    return training.normalizer_variant(source, path, {"type": "NFC"})


def _nfkc_variant(path: Path) -> Path:
    """``unigram`` with NFKC alone."""
    source = _committed_or_trained("unigram", training.train_unigram, path)
    return training.normalizer_variant(source, path, {"type": "NFKC"})


def _nfkd_variant(path: Path) -> Path:
    """``unigram`` with NFKD then lower case (its own pipeline strips accents after NFD)."""
    source = _committed_or_trained("unigram", training.train_unigram, path)
    return training.normalizer_variant(source, path, {"type": "Sequence", "normalizers": [
        {"type": "NFKD"}, {"type": "Lowercase"}]})


FIXTURES: tuple[Fixture, ...] = (
    Fixture("wordpiece-minilm", "WordPiece",
            TextOptions(max_length=128, truncation=True, padding="max_length"), _copy_minilm, False),
    Fixture("bpe-smollm2", "byte-level BPE", TextOptions(max_length=256, truncation=True),
            _extract_smollm2, False),
    Fixture("bpe-bytelevel", "byte-level BPE",
            TextOptions(max_length=48, truncation=True, padding="max_length", pad_id=0),
            training.train_bytelevel_bpe, True),
    Fixture("bpe-llama3", "byte-level BPE (Llama-3 split regex)",
            TextOptions(max_length=200, truncation=True), training.train_llama3_bpe, True),
    Fixture("bpe-qwen2", "byte-level BPE (Qwen2 split regex)", TextOptions(),
            training.train_qwen2_bpe, True),
    Fixture("unigram", "Unigram + Metaspace", TextOptions(), training.train_unigram, True),
    Fixture("bpe-bytefallback", "BPE with byte fallback (Llama-2 style)",
            TextOptions(max_length=96, truncation=True), training.train_llama_bpe, True),
    Fixture("bpe-metaspace", "BPE with byte fallback, Metaspace pre-tokenizer (newer Llama style)",
            TextOptions(add_special_tokens=False), _metaspace_variant, False),
    Fixture("bpe-qwen2-nfc", "byte-level BPE (Qwen2 split regex) with an NFC normalizer",
            TextOptions(), _nfc_variant, False),
    Fixture("unigram-nfkc", "Unigram + Metaspace with an NFKC normalizer", TextOptions(),
            _nfkc_variant, False),
    Fixture("unigram-nfkd", "Unigram + Metaspace with NFKD and Lowercase normalizers", TextOptions(),
            _nfkd_variant, False),
)


def tokenizer_path(directory: Path, fixture: Fixture) -> Path:
    return directory / f"{fixture.name}.tokenizer.json"


def produce_tokenizer(fixture: Fixture, directory: Path, *, retrain: bool = False) -> Path:
    """Write the fixture's tokenizer.json into ``directory`` (a committed copy unless ``retrain``)."""
    path = tokenizer_path(directory, fixture)
    committed = tokenizer_path(COMMITTED, fixture)
    if fixture.committed and not retrain and committed.is_file():
        shutil.copyfile(committed, path)
    else:
        fixture.produce(path)
    return path


def write_fixture(fixture: Fixture, directory: Path, *, retrain: bool = False) -> Path:
    """The tokenizer and its golden file in ``directory``; returns the golden file."""
    directory.mkdir(parents=True, exist_ok=True)
    path = produce_tokenizer(fixture, directory, retrain=retrain)
    return write_tokenizer_golden(directory, fixture.name, path, fixture.options)


def write_fixtures(directory: Path, names: Sequence[str] = (), *, retrain: bool = False) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    chosen = [f for f in FIXTURES if not names or f.name in names]
    return [write_fixture(fixture, directory, retrain=retrain) for fixture in chosen]


def retrain_committed() -> None:
    """Retrain the committed tokenizers into ``COMMITTED`` (run by hand; review the diff)."""
    COMMITTED.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for fixture in FIXTURES:
            if fixture.committed:
                path = fixture.produce(tokenizer_path(Path(scratch), fixture))
                shutil.copyfile(path, tokenizer_path(COMMITTED, fixture))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdkgen.tokenizers.fixtures",
                                     description="Write tokenizer fixtures and golden text files.")
    parser.add_argument("out", type=Path, help="directory to write into")
    parser.add_argument("--only", nargs="*", default=[], help="fixture names (default: all)")
    parser.add_argument("--retrain", action="store_true",
                        help="retrain the small tokenizers instead of copying the committed ones")
    parser.add_argument("--update-committed", action="store_true",
                        help="retrain the committed tokenizers in tests/text_tokenizer/data first")
    args = parser.parse_args(argv)
    if args.update_committed:
        retrain_committed()
    for path in write_fixtures(args.out, args.only, retrain=args.retrain):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
