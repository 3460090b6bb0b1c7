"""The text-generation part of the plan: what the templates see as ``sdk.generation``.

Filled once by the text-generation task from the definition, the tokenizer files and the export
recipe; read by the golden writer and the templates; recomputed by nobody. Strings are the raw
strings (chat pieces, stop strings): templates escape them with ``kotlin_string`` /
``swift_string``. Everything here is plain data so that a test can build it inline.

The prompt contract the SDKs implement (documented in ``docs/golden-format.md``):

* A chat is ``[system?] user (assistant user)*``: an optional system message first, then user and
  assistant messages alternating, starting and (for generation) ending with a user message. Other
  shapes are refused by the SDKs before any rendering.
* ``render(messages, add_generation_prompt)`` is :meth:`ChatPieces.render`; its text is tokenized
  with ``add_special_tokens = false`` (as ``transformers``' ``apply_chat_template`` does), so
  special-token text in the pieces becomes the special tokens.
* A plain prompt (no chat) is tokenized with ``add_special_tokens = true``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["system", "user", "assistant"]
ROLES: tuple[Role, ...] = ("system", "user", "assistant")
SystemRole = Literal["supported", "rejected", "ignored"]
ContentTransform = Literal["none", "trim"]

# Python's str.isspace() code points: what Jinja's `trim` filter (str.strip()) removes. The SDKs
# spell out the same set instead of their platform's idea of whitespace.
TRIM_WHITESPACE: tuple[int, ...] = (
    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
    *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)


@dataclass(frozen=True)
class ChatPieces:
    """A chat template reduced to literal text pieces (made by :mod:`sdkgen.generation.chat_template`).

    ``render`` below is the whole rule; the reduction was checked against the Jinja rendering of
    the original template on many conversations before this object exists.
    """

    source: str  # where the template came from, e.g. "tokenizer_config.json: chat_template"
    template_sha256: str  # of the template text
    bos_text: str  # literal text before the first message ("" or e.g. "<|begin_of_text|>")
    system_prefix: str
    system_suffix: str
    user_prefix: str
    user_suffix: str
    assistant_prefix: str
    assistant_suffix: str
    generation_prompt: str  # appended when add_generation_prompt (may be "": Phi-3 puts it in user_suffix)
    closing_text: str  # appended when not add_generation_prompt (e.g. Phi-3.5's eos_token), else ""
    default_system_prompt: str | None  # inserted by the template when no system message is given
    system_role: SystemRole  # "rejected": the template raises on a system message; "ignored": drops it
    content_transform: ContentTransform  # "trim": contents are stripped of TRIM_WHITESPACE at both ends

    def prefix(self, role: Role) -> str:
        return {"system": self.system_prefix, "user": self.user_prefix,
                "assistant": self.assistant_prefix}[role]

    def suffix(self, role: Role) -> str:
        return {"system": self.system_suffix, "user": self.user_suffix,
                "assistant": self.assistant_suffix}[role]

    def transform(self, content: str) -> str:
        if self.content_transform == "trim":
            return content.strip("".join(chr(c) for c in TRIM_WHITESPACE))
        return content

    def render(self, messages: list[tuple[Role, str]], *, add_generation_prompt: bool) -> str:
        """The prompt text of a chat of the accepted shape (see the module docstring).

        Raises ``ValueError`` for a system message when ``system_role`` is ``"rejected"``.
        """
        if messages and messages[0][0] == "system":
            if self.system_role == "rejected":
                raise ValueError("this model's chat template does not accept a system message")
        elif self.default_system_prompt is not None:
            messages = [("system", self.default_system_prompt), *messages]
        if self.system_role == "ignored":
            messages = [m for m in messages if m[0] != "system"]
        parts = [self.bos_text]
        for role, content in messages:
            parts += [self.prefix(role), self.transform(content), self.suffix(role)]
        parts.append(self.generation_prompt if add_generation_prompt else self.closing_text)
        return "".join(parts)


@dataclass(frozen=True)
class SamplingDefaults:
    """Default sampling options of the generated SDKs (each call may override them).

    The procedure is :mod:`sdkgen.generation.sampler` (``docs/golden-format.md``, "Sampler"):
    ``temperature == 0`` is greedy (argmax, lowest id on ties, no random draw); otherwise
    temperature, then top-k (``0``: off), then top-p (``1.0``: off), one PCG32 draw per token.
    """

    temperature: float  # >= 0
    top_k: int  # >= 0
    top_p: float  # in (0, 1]
    max_new_tokens: int  # >= 1
    seed: int  # 0 ... 2**64 - 1


@dataclass(frozen=True)
class ExecuTorchLlmContext:
    """How the Android SDK drives the KV-cache ``.pte`` through ``org.pytorch.executorch.Module``.

    ``forward_method(tokens int64 [1, n], input_pos int64 [1])`` with ``1 <= n <=
    max_prefill_tokens`` and ``input_pos`` the position of ``tokens[0]``, returns the float32 logits
    of the last token (``[1, vocab_size]``) when ``logits_of_all_tokens`` is false, else of every
    token (``[1, n, vocab_size]``). ``metadata`` lists the constant methods the ``.pte`` carries
    for ExecuTorch's own LLM runner (``get_max_seq_len``, ``get_max_context_len``, ``get_bos_id``,
    ``get_eos_ids``, ``use_kv_cache``, ...), with their values as the runner reads them; the SDK
    checks the ones it relies on when it loads the model.
    """

    forward_method: str  # "forward"
    max_seq_len: int  # KV cache length: positions 0 ... max_seq_len - 1
    max_prefill_tokens: int  # largest n of one forward call
    logits_of_all_tokens: bool
    metadata: tuple[tuple[str, int | bool | tuple[int, ...]], ...]  # (method name, value), sorted


@dataclass(frozen=True)
class CoreMLStateContext:
    """One Core ML state (``ct.StateType``) of the stateful model: a KV cache buffer."""

    name: str  # e.g. "keyCache"
    shape: tuple[int, ...]  # e.g. (layers, 1, kv_heads, max_length, head_dim)
    dtype: Literal["float16", "float32"]


@dataclass(frozen=True)
class CoreMLLlmContext:
    """How the iOS SDK drives the stateful ``.mlpackage`` (iOS 18+: ``MLState``).

    One prediction takes ``input_ids`` (int32 ``[1, n]``, ``1 <= n <= max_input_tokens``) and
    ``causal_mask`` (``mask_dtype`` ``[1, 1, n, position + n]``: 0 where key position ``<=``
    position of the query token, ``-inf`` elsewhere), with the states holding the cache of
    positions ``0 ..< position``, and returns ``logits`` (``logits_dtype`` ``[1, n, vocab_size]``).
    """

    input_ids: str  # feature name, e.g. "input_ids"
    causal_mask: str  # feature name, e.g. "causal_mask"
    logits: str  # feature name, e.g. "logits"
    states: tuple[CoreMLStateContext, ...]
    max_length: int  # cache length: positions 0 ... max_length - 1
    max_input_tokens: int  # largest n of one prediction (the converted range's upper bound)
    mask_dtype: Literal["float16", "float32"]
    logits_dtype: Literal["float16", "float32"]


@dataclass(frozen=True)
class GenerationContext:
    """Everything the text-generation templates and golden cases need (``sdk.generation``)."""

    context_length: int  # prompt + generated tokens the SDK keeps (<= both runtimes' cache lengths)
    vocab_size: int
    bos_token_id: int | None
    eos_token_ids: tuple[int, ...]  # any of them ends a generation (plural: Llama-3 has several)
    stop_strings: tuple[str, ...]  # generation ends before the first occurrence of any of them
    tokenizer_resource: str  # file name of tokenizer.json in the SDKs' resources / assets
    chat: ChatPieces | None  # None: the model has no chat template (plain prompts only)
    sampling: SamplingDefaults
    android: ExecuTorchLlmContext
    ios: CoreMLLlmContext
