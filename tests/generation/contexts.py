"""Hand-built generation golden files (real chat templates reduced to pieces), for the tests.

The chat pieces come from real templates reduced by :mod:`sdkgen.generation.chat_template`.
The golden folder holds one file per real chat template of ``data/chat_templates.json``, the
model's own ``model.json`` (chat, sampler, exp, stop, stream and greedy cases) and the tokenizer its
stream cases use.
"""

from __future__ import annotations

import json
from pathlib import Path

from sdkgen.generation.chat_template import reduce_chat_template, transformers_renderer
from sdkgen.generation.context import ChatPieces
from sdkgen.generation.golden import (
    GreedyCase,
    generation_document,
    write_generation_golden,
    write_model_golden,
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
    greedy = (GreedyCase(name="greedy0001", prompt_ids=(1, 5, 9), ids=(17, 4, 2),
                         source="hand-written ids (structure only)"),
              GreedyCase(name="greedy0002", prompt_ids=(3,), ids=(8, 8), source="hand-written ids (structure only)",
                         check="teacher_forced", min_top1_agreement=0.9))
    model = write_model_golden(directory, chat=reduced(MODEL_TEMPLATE), tokenizer_file=TOKENIZER, greedy=greedy)
    add(json.loads(model.read_text(encoding="utf-8")))
    return counts
