"""Which parts of a Hugging Face ``tokenizer.json`` the generated Kotlin and Swift tokenizers implement.

``check_supported`` walks the file and refuses, with a ``SpecError`` naming the component's type
and its JSON path (``normalizer.normalizers[1] (Precompiled)``), anything the SDKs would encode
differently from the ``tokenizers`` library: a silent difference on the phone is never acceptable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen.errors import SpecError

GPT2_SPLIT = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"
LLAMA3_SPLIT = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_SPLIT = LLAMA3_SPLIT.replace(r"\p{N}{1,3}", r"\p{N}")
SPLIT_PATTERNS = {GPT2_SPLIT: "GPT-2", LLAMA3_SPLIT: "Llama-3", QWEN2_SPLIT: "Qwen2"}

NORMALIZERS = frozenset({"BertNormalizer", "Lowercase", "StripAccents", "NFD", "NFKD", "NFC", "NFKC",
                         "Replace", "Prepend", "Sequence"})
PRE_TOKENIZERS = frozenset({"BertPreTokenizer", "ByteLevel", "Metaspace", "Split", "Sequence"})
MODELS = frozenset({"WordPiece", "BPE", "Unigram"})
POST_PROCESSORS = frozenset({"BertProcessing", "RobertaProcessing", "TemplateProcessing", "ByteLevel",
                             "Sequence"})
DECODERS = frozenset({"WordPiece", "ByteLevel", "Metaspace", "ByteFallback", "Fuse", "Strip",
                      "Replace", "Sequence"})
_HINT = ("sdkgen's Kotlin and Swift tokenizers implement WordPiece, BPE and Unigram models with the "
         "BERT, byte-level and SentencePiece (Metaspace) pipelines; convert the tokenizer to those "
         "components or open an issue naming this one")


@dataclass(frozen=True)
class TokenizerSummary:
    """What a supported ``tokenizer.json`` holds, for reports and code generation."""

    path: Path
    model: str  # "WordPiece", "BPE" or "Unigram"
    vocab_size: int
    normalizer: tuple[str, ...]  # component types, flattened out of Sequences, in order
    pre_tokenizer: tuple[str, ...]
    post_processor: tuple[str, ...]
    decoder: tuple[str, ...]
    special_tokens: tuple[str, ...]
    added_tokens: int


def check_supported(path: Path) -> TokenizerSummary:
    """Read ``path`` and return its summary, or raise ``SpecError`` for an unsupported component."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SpecError(f"cannot read the tokenizer: {error}", file=str(path),
                        hint="give the tokenizer.json that the `tokenizers` library saves") from error
    if not isinstance(document, Mapping):
        raise SpecError("a tokenizer.json holds a JSON object", file=str(path))
    checker = _Checker(str(path))
    return TokenizerSummary(
        path=Path(path),
        model=checker.model(document.get("model")),
        vocab_size=_vocab_size(document.get("model")),
        normalizer=checker.component("normalizer", document.get("normalizer"), NORMALIZERS,
                                     checker.normalizer),
        pre_tokenizer=checker.component("pre_tokenizer", document.get("pre_tokenizer"),
                                        PRE_TOKENIZERS, checker.pre_tokenizer),
        post_processor=checker.component("post_processor", document.get("post_processor"),
                                         POST_PROCESSORS, checker.post_processor),
        decoder=checker.component("decoder", document.get("decoder"), DECODERS, checker.decoder),
        special_tokens=checker.added_tokens(document.get("added_tokens") or []),
        added_tokens=len(document.get("added_tokens") or []),
    )


def _vocab_size(model: Any) -> int:
    vocab = model.get("vocab") if isinstance(model, Mapping) else None
    return len(vocab) if isinstance(vocab, (Mapping, list)) else 0


class _Checker:
    def __init__(self, file: str) -> None:
        self.file = file

    def refuse(self, where: str, kind: str, why: str) -> SpecError:
        return SpecError(f"{where} ({kind}): {why}", file=self.file, hint=_HINT)

    def component(self, where: str, node: Any, allowed: frozenset[str],
                  options: Any) -> tuple[str, ...]:
        if node is None:
            return ()
        kind = node.get("type") if isinstance(node, Mapping) else None
        if not isinstance(kind, str):
            raise self.refuse(where, repr(kind), "a component must be an object with a \"type\"")
        if kind not in allowed:
            raise self.refuse(where, kind, "not implemented by sdkgen's Kotlin/Swift tokenizers")
        if kind == "Sequence":
            key = {"normalizer": "normalizers", "pre_tokenizer": "pretokenizers",
                   "post_processor": "processors", "decoder": "decoders"}[where.split(".", 1)[0]]
            children = node.get(key)
            if not isinstance(children, Sequence):
                raise self.refuse(where, kind, f"\"{key}\" must be a list")
            found: list[str] = []
            for index, child in enumerate(children):
                found += self.component(f"{where}.{key}[{index}]", child, allowed, options)
            return tuple(found)
        options(where, kind, node)
        return (kind,)

    def normalizer(self, where: str, kind: str, node: Mapping[str, Any]) -> None:
        if kind == "Replace":
            self._string_pattern(where, kind, node)

    def pre_tokenizer(self, where: str, kind: str, node: Mapping[str, Any]) -> None:
        if kind == "Split":
            pattern = node.get("pattern")
            regex = pattern.get("Regex") if isinstance(pattern, Mapping) else None
            if regex not in SPLIT_PATTERNS:
                raise self.refuse(f"{where}.pattern", kind,
                                  "only the GPT-2, Llama-3 and Qwen2 split regexes are implemented")
            if node.get("behavior") != "Isolated" or node.get("invert"):
                raise self.refuse(where, kind, "only behavior Isolated without invert is implemented")
        if kind == "Metaspace":
            if node.get("prepend_scheme", "always") not in ("always", "first", "never"):
                raise self.refuse(where, kind, f"prepend_scheme {node.get('prepend_scheme')!r}")
            if len(str(node.get("replacement", "\u2581"))) != 1:
                raise self.refuse(where, kind, "the replacement must be one character")

    def post_processor(self, where: str, kind: str, node: Mapping[str, Any]) -> None:
        return None  # every option of the listed post-processors is implemented

    def decoder(self, where: str, kind: str, node: Mapping[str, Any]) -> None:
        if kind == "Replace":
            self._string_pattern(where, kind, node)

    def _string_pattern(self, where: str, kind: str, node: Mapping[str, Any]) -> None:
        pattern = node.get("pattern")
        if not isinstance(pattern, Mapping) or not isinstance(pattern.get("String"), str):
            raise self.refuse(f"{where}.pattern", kind,
                              "only a literal String pattern is implemented, not a Regex")

    def model(self, node: Any) -> str:
        kind = node.get("type") if isinstance(node, Mapping) else None
        if kind is None and isinstance(node, Mapping):  # old files omit the type
            kind = "BPE" if "merges" in node else "WordPiece" if "max_input_chars_per_word" in node \
                else "Unigram" if isinstance(node.get("vocab"), list) else None
        if kind not in MODELS:
            raise self.refuse("model", str(kind), "not implemented by sdkgen's Kotlin/Swift tokenizers")
        assert isinstance(node, Mapping)
        if kind == "BPE":
            if node.get("dropout") not in (None, 0, 0.0):
                raise self.refuse("model.dropout", kind, "BPE dropout is random; set it to null")
            for key in ("continuing_subword_prefix", "end_of_word_suffix"):
                if node.get(key):
                    raise self.refuse(f"model.{key}", kind, f"a non-empty {key} is not implemented")
        if kind == "Unigram" and node.get("byte_fallback"):
            raise self.refuse("model.byte_fallback", kind, "Unigram byte fallback is not implemented")
        return str(kind)

    def added_tokens(self, tokens: Sequence[Any]) -> tuple[str, ...]:
        special = []
        for index, token in enumerate(tokens):
            where = f"added_tokens[{index}]"
            if not isinstance(token, Mapping) or not isinstance(token.get("content"), str):
                raise self.refuse(where, "AddedToken", "needs a string \"content\"")
            for flag in ("single_word", "lstrip", "rstrip"):
                if token.get(flag):
                    raise self.refuse(where, "AddedToken", f"{flag}=true is not implemented")
            if token.get("normalized") and token.get("special"):
                raise self.refuse(where, "AddedToken",
                                  "a special token matched after normalisation is not implemented")
            if token.get("normalized"):
                raise self.refuse(where, "AddedToken",
                                  "normalized=true (matching on normalised text) is not implemented")
            if token.get("special"):
                special.append(token["content"])
        return tuple(special)
