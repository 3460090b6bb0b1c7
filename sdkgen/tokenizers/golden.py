"""Golden text cases (format ``sdkgen-golden-text``): the ``tokenizers`` library's output, as JSON.

One file per tokenizer, next to its ``tokenizer.json``. Every encode case holds the ids, attention
mask and type ids under the file's options and both decoded strings; every stream case holds the
pieces of the streaming decoder, each checked against ``tokenizers.decoders.DecodeStream``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from sdkgen.errors import SdkgenError

FORMAT = "sdkgen-golden-text"
FORMAT_VERSION = 1


class GoldenTextError(SdkgenError):
    """The reference disagrees with itself (our streaming rule versus ``DecodeStream``)."""


@dataclass(frozen=True)
class TextOptions:
    """How an SDK encodes text for its model (the definition's text input)."""

    add_special_tokens: bool = True
    max_length: int | None = None
    truncation: bool = False
    padding: Literal["max_length", "none"] = "none"
    pad_id: int = 0
    pad_type_id: int = 0


def load_reference(tokenizer_file: Path, options: TextOptions) -> Any:
    """The oracle: ``tokenizers.Tokenizer`` configured exactly as the options say."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    if options.truncation and options.max_length is not None:
        tokenizer.enable_truncation(options.max_length)
    if options.padding == "max_length" and options.max_length is not None:
        pad_token = tokenizer.id_to_token(options.pad_id) or ""
        tokenizer.enable_padding(length=options.max_length, pad_id=options.pad_id,
                                 pad_type_id=options.pad_type_id, pad_token=pad_token)
    return tokenizer


def stream_pieces(tokenizer: Any, ids: Sequence[int], skip_special_tokens: bool) -> list[str]:
    """The streaming decoder of TEXT_GOLDEN.md, one piece per id ("" when nothing is emitted)."""
    buffer: list[int] = []
    prefix = read = 0
    pieces = []
    for token in ids:
        buffer.append(token)
        before = tokenizer.decode(buffer[prefix:read], skip_special_tokens=skip_special_tokens)
        after = tokenizer.decode(buffer[prefix:], skip_special_tokens=skip_special_tokens)
        before_bytes, after_bytes = before.encode("utf-8"), after.encode("utf-8")
        if len(after_bytes) > len(before_bytes) and not after.endswith("\ufffd"):
            pieces.append(after_bytes[len(before_bytes):].decode("utf-8", errors="replace"))
            prefix, read = read, len(buffer)
        else:
            pieces.append("")
    return pieces


def _check_stream(tokenizer: Any, name: str, ids: Sequence[int], skip: bool,
                  pieces: Sequence[str]) -> None:
    from tokenizers.decoders import DecodeStream

    stream = DecodeStream(skip_special_tokens=skip)
    for index, (token, piece) in enumerate(zip(ids, pieces, strict=True)):
        expected = stream.step(tokenizer, token) or ""
        if expected != piece:
            raise GoldenTextError(f"stream case {name}, step {index} (id {token}): "
                                  f"DecodeStream gives {expected!r}, the rule gives {piece!r}")


def encode_case(tokenizer: Any, name: str, text: str, options: TextOptions) -> dict[str, Any]:
    encoding = tokenizer.encode(text, add_special_tokens=options.add_special_tokens)
    ids = list(encoding.ids)
    return {"name": name, "text": text, "ids": ids, "attention_mask": list(encoding.attention_mask),
            "type_ids": list(encoding.type_ids),
            "decoded": tokenizer.decode(ids, skip_special_tokens=False),
            "decoded_skip_special": tokenizer.decode(ids, skip_special_tokens=True)}


def stream_case(tokenizer: Any, name: str, ids: Sequence[int], skip: bool) -> dict[str, Any]:
    pieces = stream_pieces(tokenizer, ids, skip)
    _check_stream(tokenizer, name, ids, skip, pieces)
    return {"name": name, "ids": list(ids), "skip_special_tokens": skip, "pieces": pieces}


def golden_document(tokenizer_file: Path, texts: Sequence[str], stream_texts: Sequence[str],
                    options: TextOptions) -> dict[str, Any]:
    """Encode cases for ``texts`` and stream cases (both skip settings) for ``stream_texts``."""
    tokenizer = load_reference(tokenizer_file, options)
    unpadded = load_reference(tokenizer_file, TextOptions(add_special_tokens=True))
    cases = [encode_case(tokenizer, f"c{index:04d}", text, options)
             for index, text in enumerate(texts, start=1)]
    streams = []
    for text in stream_texts:
        ids = unpadded.encode(text).ids
        for skip in (False, True):
            streams.append(stream_case(unpadded, f"s{len(streams) + 1:04d}", ids, skip))
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "tokenizer_file": tokenizer_file.name, "options": asdict(options),
            "cases": cases, "stream_cases": streams}


def write_golden(path: Path, document: dict[str, Any]) -> Path:
    """Write ``document`` byte-for-byte reproducibly (sorted keys, UTF-8, final newline)."""
    text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def write_tokenizer_golden(directory: Path, name: str, tokenizer_file: Path,
                           options: TextOptions) -> Path:
    """``<name>.json``: the encode cases of the standard corpus (with the tokenizer's special
    tokens) and the stream cases, for ``tokenizer_file`` (which must sit in ``directory``)."""
    from sdkgen.tokenizers.corpus import corpus
    from sdkgen.tokenizers.fixtures import STREAM_TEXTS
    from sdkgen.tokenizers.support import check_supported

    summary = check_supported(tokenizer_file)
    document = golden_document(tokenizer_file, corpus(summary.special_tokens), STREAM_TEXTS, options)
    return write_golden(directory / f"{name}.json", document)
