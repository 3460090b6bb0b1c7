"""The ``text`` input kind: a string the SDKs take, tokenised by a Hugging Face ``tokenizer.json``.

One text input feeds several model tensors (``feeds``: ``input_ids``, ``attention_mask``,
``token_type_ids``, in the order ``forward`` takes them). The plan expands it into one
:class:`~sdkgen.codegen.context.InputContext` per fed tensor, each named after its role and
carrying the same :class:`~sdkgen.codegen.context.TextContext`; ``InputContext.source`` names the
app-level value they all come from (see docs/architecture.md, "One input, several tensors").

The reference processing is the ``tokenizers`` library itself (the oracle the generated Kotlin and
Swift tokenizers are held to, docs/golden-format.md). Inputs have a fixed length: every string is
truncated and padded to ``max_length`` and the attention mask marks the real tokens. Fixed shapes
keep a Core ML model eligible for the Neural Engine (flexible range shapes run on CPU/GPU only) and
make one ExecuTorch plan serve every call.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Field, field_validator

from sdkgen.codegen import naming
from sdkgen.codegen.context import TextContext
from sdkgen.features.base import InputKind, register_input_kind
from sdkgen.features.schema import Strict
from sdkgen.tokenizers.golden import TextOptions, load_reference

if TYPE_CHECKING:
    from sdkgen.codegen.context import InputContext

Role = Literal["input_ids", "attention_mask", "token_type_ids"]
ROLES: tuple[str, ...] = ("input_ids", "attention_mask", "token_type_ids")
PAD_TOKENS = ("[PAD]", "<pad>", "<|pad|>", "<|endoftext|>")
TEXT_DIRECTORY = "text"  # golden/text/: the tokenizer's own golden file (sdkgen-golden-text)


class TextInput(Strict):
    """A text input. The SDKs take a string; the tokenizer turns it into the tensors it feeds."""

    tokenizer: str = Field(
        description="Hugging Face tokenizer.json (the `tokenizers` library's format), relative to "
        "this file. Components sdkgen's Kotlin and Swift tokenizers do not implement are refused."
    )
    max_length: Annotated[int, Field(ge=2, le=8192)] = Field(
        128, description="Tokens per input, special tokens included: every text is truncated and "
        "padded to this length (fixed shapes keep Core ML on the Neural Engine)."
    )
    truncation: bool = Field(
        True, description="Cut longer texts to max_length (keeping room for [CLS]/[SEP] etc.); "
        "false refuses them at run time instead."
    )
    padding: Literal["max_length"] = Field(
        "max_length", description="Pad on the right to max_length; the attention mask marks "
        "padding with 0. (The only mode: the exported models take fixed-length inputs.)"
    )
    add_special_tokens: bool = Field(
        True, description="Add the post-processor's special tokens ([CLS] … [SEP], <s> … </s>)."
    )
    feeds: Annotated[list[Role], Field(min_length=1)] = Field(
        default_factory=lambda: ["input_ids", "attention_mask"],
        description="The model's forward arguments this text fills, in the order forward takes "
        "them: input_ids, attention_mask, token_type_ids. They are the tensors' names too.",
    )
    dtype: Literal["int64", "int32"] = Field(
        "int64", description="Integer type of the tensors (PyTorch embeddings take int64; Core ML "
        "receives int32 either way)."
    )

    @field_validator("feeds")
    @classmethod
    def _feeds(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each tensor may be fed once")
        if "input_ids" not in value:
            raise ValueError("a text input feeds input_ids (and optionally attention_mask, "
                             "token_type_ids)")
        return value

    def tensor_shape(self) -> tuple[int, ...]:
        return (1, self.max_length)


def pad_id(tokenizer_file: Path) -> tuple[int, int]:
    """The pad id and pad type id: the file's own padding settings, else its pad token, else 0."""
    document = json.loads(tokenizer_file.read_text(encoding="utf-8"))
    padding = document.get("padding")
    if isinstance(padding, dict) and isinstance(padding.get("pad_id"), int):
        return int(padding["pad_id"]), int(padding.get("pad_type_id") or 0)
    added = {t.get("content"): t.get("id") for t in document.get("added_tokens") or []
             if isinstance(t, dict)}
    vocab = (document.get("model") or {}).get("vocab")
    for token in PAD_TOKENS:
        if isinstance(added.get(token), int):
            return int(added[token]), 0
        if isinstance(vocab, dict) and isinstance(vocab.get(token), int):
            return int(vocab[token]), 0
    return 0, 0


def text_options(text: TextContext) -> TextOptions:
    """The ``sdkgen-golden-text`` options of a text input: how its SDK encodes."""
    return TextOptions(add_special_tokens=text.add_special_tokens, max_length=text.max_length,
                       truncation=text.truncation, padding="max_length", pad_id=text.pad_id,
                       pad_type_id=text.pad_type_id)


@functools.lru_cache(maxsize=8)
def _reference(tokenizer_file: str, options: TextOptions) -> Any:
    return load_reference(Path(tokenizer_file), options)


def reference_tokenizer(text: TextContext) -> Any:
    """The ``tokenizers.Tokenizer`` the reference encodes with, configured as the input says."""
    return _reference(text.tokenizer_path, text_options(text))


def encode(raw: str, text: TextContext) -> dict[str, np.ndarray]:
    """A string → every tensor a text input can feed, by role (batch 1, ``max_length`` each).

    Raises ``ValueError`` for a text longer than ``max_length`` when truncation is off (the SDKs
    throw an invalid-argument error for it too).
    """
    encoding = reference_tokenizer(text).encode(raw, add_special_tokens=text.add_special_tokens)
    if len(encoding.ids) > text.max_length:
        raise ValueError(f"the text has {len(encoding.ids)} tokens, more than max_length "
                         f"{text.max_length}, and truncation is off")
    dtype = np.int64 if text.dtype == "int64" else np.int32
    return {
        "input_ids": np.asarray([encoding.ids], dtype=dtype),
        "attention_mask": np.asarray([encoding.attention_mask], dtype=dtype),
        "token_type_ids": np.asarray([encoding.type_ids], dtype=dtype),
    }


def random_text(text: TextContext, rng: np.random.Generator) -> str:
    """Seeded text: a decoded run of random ordinary (non-special) vocabulary ids, sometimes long
    enough to truncate, so generated cases exercise the tokenizer like real text does."""
    tokenizer = reference_tokenizer(text)
    special = {token.content for token in tokenizer.get_added_tokens_decoder().values()}
    count = int(rng.integers(3, max(4, text.max_length * 3 // 2)))
    vocab_size = tokenizer.get_vocab_size(with_added_tokens=False)
    ids = []
    while len(ids) < count:
        candidate = int(rng.integers(0, vocab_size))
        if tokenizer.id_to_token(candidate) not in special:
            ids.append(candidate)
    return str(tokenizer.decode(ids, skip_special_tokens=True))


def text_context(declared: TextInput, *, input_name: str, source: str, role: str,
                 tokenizer_path: Path) -> TextContext:
    from sdkgen.tokenizers.support import check_supported

    summary = check_supported(tokenizer_path)
    pad, pad_type = pad_id(tokenizer_path)
    return TextContext(
        input_name=input_name, identifier=naming.member_name(input_name, fallback="text"),
        role=role, feeds=tuple(declared.feeds), tokenizer_path=str(tokenizer_path),
        tokenizer_resource=f"{source}.tokenizer.json", max_length=declared.max_length,
        truncation=declared.truncation, padding=declared.padding,
        add_special_tokens=declared.add_special_tokens, pad_id=pad, pad_type_id=pad_type,
        dtype=declared.dtype, model=summary.model, vocab_size=summary.vocab_size,
    )


class TextKind(InputKind):
    name = "text"
    description = "token tensor of a text"

    def context(self, declared: TextInput) -> None:
        return None  # the plan asks tensors() instead: a text input feeds several tensors

    def feature_names(self, declared: TextInput, feature_name: str) -> tuple[str, ...]:
        return tuple(declared.feeds)

    def tensors(self, declared: TextInput, *, name: str, feature_name: str,
                base_dir: Path) -> tuple[tuple[str, tuple[int, ...], str, Any], ...]:
        path = (base_dir / declared.tokenizer).resolve()
        return tuple(
            (role, declared.tensor_shape(), declared.dtype,
             text_context(declared, input_name=name, source=feature_name, role=role,
                          tokenizer_path=path))
            for role in declared.feeds
        )

    def reference(self, raw: np.ndarray, item: InputContext) -> np.ndarray:
        assert item.text is not None  # the plan sets it for text tensors
        return encode(str(raw[()]), item.text)[item.text.role]

    def random_raw(self, item: InputContext, rng: np.random.Generator) -> np.ndarray:
        assert item.text is not None
        return np.asarray(random_text(item.text, rng))

    def check_raw(self, value: np.ndarray, item: InputContext) -> str | None:
        if value.ndim != 0 or value.dtype.kind != "U":
            return f"expected a string (a 0-d numpy str array), got {value.dtype} {list(value.shape)}"
        assert item.text is not None
        try:
            encode(str(value[()]), item.text)
        except ValueError as error:
            return str(error)
        return None

    def raw_bytes(self, raw: np.ndarray, item: InputContext) -> bytes:
        return str(raw[()]).encode("utf-8")

    def case_entry(self, raw: np.ndarray, item: InputContext) -> dict[str, Any]:
        return {"text": str(raw[()])}

    def manifest_entry(self, item: InputContext) -> dict[str, Any]:
        text = item.text
        assert text is not None
        return {"text": {
            "input": text.input_name, "source": item.source, "role": text.role,
            "tokenizer": f"{TEXT_DIRECTORY}/{text.tokenizer_resource}",
            "max_length": text.max_length, "truncation": text.truncation,
            "padding": text.padding, "add_special_tokens": text.add_special_tokens,
            "pad_id": text.pad_id, "pad_type_id": text.pad_type_id,
        }}

    def golden_files(self, item: InputContext) -> dict[str, bytes]:
        """The tokenizer and its ``sdkgen-golden-text`` cases (≥ 300), under ``golden/text/``."""
        from sdkgen.tokenizers.corpus import corpus
        from sdkgen.tokenizers.fixtures import STREAM_TEXTS
        from sdkgen.tokenizers.golden import golden_document
        from sdkgen.tokenizers.support import check_supported

        text = item.text
        assert text is not None
        path = Path(text.tokenizer_path)
        document = golden_document(path, corpus(check_supported(path).special_tokens),
                                   STREAM_TEXTS, text_options(text))
        document["tokenizer_file"] = text.tokenizer_resource
        stem = text.tokenizer_resource.removesuffix(".tokenizer.json")
        return {
            f"{TEXT_DIRECTORY}/{text.tokenizer_resource}": path.read_bytes(),
            f"{TEXT_DIRECTORY}/{stem}.json": (json.dumps(document, indent=2, sort_keys=True,
                                                         ensure_ascii=False) + "\n").encode("utf-8"),
        }

    def artifact_metadata(self, declared: TextInput) -> str:
        return declared.model_dump_json()


TEXT = register_input_kind(TextKind())
