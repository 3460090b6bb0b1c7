"""Hand-built text-generation contexts (``sdk.generation``) and their golden files, for the tests.

The SDK context is a hand-built one of the Android checks with a :class:`GenerationContext`
added; its chat pieces come from a real template reduced by :mod:`sdkgen.generation.chat_template`.
The golden folder holds one file per real chat template of ``data/chat_templates.json``, the
model's own ``model.json`` (chat, sampler, exp, stop, stream and greedy cases) and the tokenizer its
stream cases use.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

from sdkgen.codegen import naming
from sdkgen.codegen.context import InputContext, OutputContext, SdkContext
from sdkgen.generation.chat_template import reduce_chat_template, transformers_renderer
from sdkgen.generation.context import (
    ChatPieces,
    CoreMLLlmContext,
    CoreMLStateContext,
    ExecuTorchLlmContext,
    GenerationContext,
    SamplingDefaults,
)
from sdkgen.generation.golden import (
    GreedyCase,
    generation_document,
    write_generation_golden,
)

DATA = Path(__file__).resolve().parent / "data"
TEXT_DATA = Path(__file__).resolve().parents[1] / "text_tokenizer" / "data"
TOKENIZER = TEXT_DATA / "bpe-bytelevel.tokenizer.json"
MODEL_TEMPLATE = "hostile"  # ChatML whose default system prompt is hostile to code generation
# quotes, backslashes, Kotlin and Swift interpolation, comment ends, control characters, NUL, Unicode
HOSTILE_SYSTEM_PROMPT = 'Say "hi" \\ $dollar ${x} \\(x) */ /* end\n\ttab\r 日本 😀 \u0000 \u2028'


def hostile_template() -> str:
    """ChatML (Qwen2's template) with :data:`HOSTILE_SYSTEM_PROMPT` as its default system prompt."""
    qwen2 = str(json.loads((DATA / "chat_templates.json").read_text(encoding="utf-8"))["qwen2"]["template"])
    default = "'<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'"  # real newlines, as in the file
    literal = json.dumps(HOSTILE_SYSTEM_PROMPT, ensure_ascii=False)
    hostile = qwen2.replace(default, "'<|im_start|>system\n' + " + literal + " + '<|im_end|>\n'")
    if hostile == qwen2:
        raise AssertionError("Qwen2's default system prompt was not found in its template")
    return hostile


def templates() -> dict[str, dict[str, object]]:
    """The real templates of ``data/chat_templates.json`` and the synthetic ``hostile`` one."""
    real = dict(json.loads((DATA / "chat_templates.json").read_text(encoding="utf-8")))
    real["hostile"] = {"origin": "synthetic: Qwen2's template with a hostile default system prompt",
                       "special_tokens": {"eos_token": "<|im_end|>"}, "template": hostile_template()}
    return real


def reduced(name: str) -> ChatPieces:
    entry = templates()[name]
    return reduce_chat_template(str(entry["template"]), source=f"{name}: tokenizer_config.json",
                                special_tokens=dict(entry["special_tokens"]))  # type: ignore[arg-type]


def generation_context(chat: ChatPieces | None, *, vocab_size: int = 1000) -> GenerationContext:
    return GenerationContext(
        context_length=512, vocab_size=vocab_size, bos_token_id=None, eos_token_ids=(2, 0),
        stop_strings=("<|im_end|>", '\n"User": ${x} \\(y) */'), tokenizer_resource="tokenizer.json", chat=chat,
        sampling=SamplingDefaults(temperature=0.7, top_k=40, top_p=0.95, max_new_tokens=256,
                                  seed=2**64 - 1),
        android=ExecuTorchLlmContext(
            forward_method="forward", max_seq_len=512, max_prefill_tokens=128,
            logits_of_all_tokens=False,
            metadata=(("get_bos_id", 1), ("get_eos_ids", (2, 0)), ("get_max_context_len", 512),
                      ("get_max_seq_len", 512), ("use_kv_cache", True)),
        ),
        ios=CoreMLLlmContext(
            input_ids="input_ids", causal_mask="causal_mask", logits="logits",
            states=(CoreMLStateContext("keyCache", (2, 1, 2, 512, 16), "float16"),
                    CoreMLStateContext("valueCache", (2, 1, 2, 512, 16), "float16")),
            max_length=512, max_input_tokens=511, mask_dtype="float16", logits_dtype="float16",
        ),
    )


def with_generation(sdk: SdkContext, chat: ChatPieces | None) -> SdkContext:
    return dataclasses.replace(sdk, generation=generation_context(chat))


def generation_sdk(chat: ChatPieces | None) -> SdkContext:
    """A text-generation SDK context: the KV-cache signature (tokens, input_pos → logits) as raw
    tensors, task ``text_generation``, a hostile display name, and :func:`generation_context`."""
    from android.fixtures import _context

    def tensor_input(name: str, shape: tuple[int, ...]) -> InputContext:
        return InputContext(name=name, identifier=naming.member_name(name), feature_name=name,
                            kind="tensor", shape=shape, dtype="int64")

    logits = OutputContext(name="logits", identifier="logits", feature_name="logits", kind="tensor",
                           shape=(1, 1000), dtype="float32")
    sdk = _context('Tiny "Chat" $LM', "com.example.tinychat",
                   (tensor_input("tokens", (1, 8)), tensor_input("input_pos", (1,))), (logits,))
    return dataclasses.replace(with_generation(sdk, chat), task="text_generation")


def write_golden_folder(directory: Path) -> dict[str, int]:
    """Every golden file the SDK tests read; returns the number of cases per kind."""
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def add(document: dict[str, object]) -> None:
        for key, value in document.items():
            if key.endswith("_cases"):
                kind = key.removesuffix("_cases")
                counts[kind] = counts.get(kind, 0) + len(value)  # type: ignore[arg-type]

    for name, entry in templates().items():
        if name == "phi35_mini":  # refused: not reducible
            continue
        pieces = reduced(name)
        render = transformers_renderer(str(entry["template"]), dict(entry["special_tokens"]))  # type: ignore[arg-type]
        document = generation_document(chat=pieces, render=render)
        write_generation_golden(directory / f"template-{name.replace('_', '-')}.json", document)
        add(document)
    shutil.copyfile(TOKENIZER, directory / "model.tokenizer.json")
    greedy = (GreedyCase(name="greedy0001", prompt_ids=(1, 5, 9), ids=(17, 4, 2),
                         source="hand-written ids (structure only)"),
              GreedyCase(name="greedy0002", prompt_ids=(3,), ids=(8, 8), source="hand-written ids (structure only)",
                         check="teacher_forced", min_top1_agreement=0.9))
    document = generation_document(chat=reduced(MODEL_TEMPLATE), sampler=True, stops=True,
                                   tokenizer_file=directory / "model.tokenizer.json", greedy=greedy)
    write_generation_golden(directory / "model.json", document)
    add(document)
    return counts
