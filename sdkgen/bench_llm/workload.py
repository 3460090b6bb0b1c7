"""What every row of the language-model bench runs: the same ids for every engine.

The prompt is a real chat: one user message asking to summarise a passage of the definition's
evaluation text, rendered with the model's chat template (its per-role pieces, as the SDKs render
it), the passage grown word by word up to the requested prefill length. Engines receive ids, never
text, so llama.cpp reads exactly the ids the ``.pte`` reads.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sdkgen.errors import UsageError

INSTRUCTION = "Summarise this text in two sentences:\n\n"


@dataclass(frozen=True)
class Workload:
    prompt_ids: list[int]  # the rendered chat prompt, fed in one prefill
    prompt_text: str  # the user message the prompt was rendered from
    decode_tokens: int  # greedy tokens decoded after the first one (never stopping early)
    text_tokens: list[int]  # the teacher-forced evaluation text
    text_window: int  # tokens per teacher-forced window (the build's windows)
    text_source: str
    warmup: int  # untimed generations before the timed ones
    repeats: int  # timed generations; medians are reported

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def read(path: Path) -> Workload:
        return Workload(**json.loads(path.read_text(encoding="utf-8")))


def _prompt(plan: Any, tokenizer: Any, words: list[str], count: int) -> tuple[list[int], str]:
    from sdkgen.llm.build import prompt_ids

    message = INSTRUCTION + " ".join(words[:count])
    return prompt_ids(plan, tokenizer, message), message


def chat_prompt(plan: Any, tokenizer: Any, text: str, prefill: int) -> tuple[list[int], str]:
    """The longest summarising chat prompt of at most ``prefill`` ids (a binary search on words)."""
    words = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if len(_prompt(plan, tokenizer, words, middle)[0]) <= prefill:
            low = middle
        else:
            high = middle - 1
    ids, message = _prompt(plan, tokenizer, words, low)
    if len(ids) > prefill:
        raise UsageError(f"--prefill {prefill} is shorter than the chat template's own "
                         f"{len(ids)} ids", hint=f"use --prefill {len(ids) + 32} or more")
    return ids, message


def make_workload(plan: Any, tokenizer: Any, *, prefill: int, decode_tokens: int, warmup: int,
                  repeats: int, text_tokens: int | None = None) -> Workload:
    """The workload of a text-generation plan (``sdkgen.llm.plan.GenerationPlan``); the text is
    the build's evaluation text, cut to ``text_tokens`` (default: the definition's)."""
    from sdkgen.llm.build import _evaluation_text

    generation = plan.spec.generation
    room = generation.context_length - 1
    text, source = _evaluation_text(plan)
    ids, message = chat_prompt(plan, tokenizer, text, prefill)
    if len(ids) + decode_tokens + 1 > room:
        raise UsageError(
            f"{len(ids)} prompt ids plus {decode_tokens + 1} generated ones exceed the "
            f"{room}-token context of the build (generation.context_length)",
            hint="lower --prefill or --decode-tokens",
        )
    limit = text_tokens or generation.evaluation.text_tokens
    tokens = list(tokenizer.encode(text, add_special_tokens=False))[:limit]
    return Workload(prompt_ids=ids, prompt_text=message, decode_tokens=decode_tokens,
                    text_tokens=tokens, text_window=min(room, 512), text_source=source,
                    warmup=warmup, repeats=repeats)
