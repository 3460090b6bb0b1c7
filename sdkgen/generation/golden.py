"""Generation golden files (``sdkgen-golden-generation``, version 1): write, read, re-check.

One JSON document per file under ``golden/generation/``; ``docs/golden-format.md`` ("Generation
cases") is the format. Case kinds: ``chat_cases`` (a conversation → the prompt text, or the error
the SDK must raise), ``sampler_cases`` (logits, options, seed → the chosen ids and the random
draws), ``exp_cases`` (the sampler's portable ``exp``), ``stop_cases`` (streamed pieces and stop
strings → the shown pieces), ``stream_cases`` (ids whose multi-byte characters are split across
tokens → the streamed pieces) and ``greedy_cases`` (prompt ids → the next ids of eager PyTorch,
written by the export; only the runtimes can check them). Every kind is optional in a file.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.errors import SdkgenError
from sdkgen.generation.chat_template import HOSTILE_CONTENTS, Message, Renderer
from sdkgen.generation.context import ChatPieces
from sdkgen.generation.sampler import Sampler, SamplingOptions, fdlibm_exp
from sdkgen.generation.stop import StopStringMatcher

FORMAT = "sdkgen-golden-generation"
FORMAT_VERSION = 1
CHECKS = ("exact", "teacher_forced")


class GoldenGenerationError(SdkgenError):
    """A generation golden file is malformed, or the reference disagrees with it."""


@dataclass(frozen=True)
class GreedyCase:
    """Eager PyTorch's greedy continuation of ``prompt_ids`` (written by the export stage).

    ``check``: ``"exact"`` (float builds: the runtime's greedy ids equal ``ids``) or
    ``"teacher_forced"`` (quantised builds: fed ``prompt_ids + ids[:i]``, the runtime's argmax
    equals ``ids[i]`` for at least ``min_top1_agreement`` of the positions).
    """

    name: str
    prompt_ids: tuple[int, ...]
    ids: tuple[int, ...]
    source: str  # where the prompt came from, e.g. "prompt 1: 'What is the capital of France?'"
    check: str = "exact"
    min_top1_agreement: float | None = None


def _messages(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [{"role": role, "content": content} for role, content in messages]


def valid_shape(messages: Sequence[Message], add_generation_prompt: bool) -> bool:
    """``[system] user (assistant user)*`` — and a last assistant message without the prompt."""
    roles = [role for role, _ in messages]
    if roles and roles[0] == "system":
        roles = roles[1:]
    if not roles or any(r != ("user" if i % 2 == 0 else "assistant") for i, r in enumerate(roles)):
        return False
    return roles[-1] == "user" or not add_generation_prompt


def chat_error(pieces: ChatPieces, messages: Sequence[Message], gen: bool) -> str | None:
    """The error an SDK raises for this conversation, or ``None``."""
    if not valid_shape(messages, gen):
        return "invalid_order"
    if messages[0][0] == "system" and pieces.system_role == "rejected":
        return "system_rejected"
    return None


def chat_cases(pieces: ChatPieces, render: Renderer | None = None) -> list[dict[str, Any]]:
    """Conversations and their prompt text (from ``render``, the template, when given)."""
    from sdkgen.generation.chat_template import probe_conversations

    conversations = probe_conversations("supported")
    conversations += [
        ([], True), ([("assistant", "Hi")], True), ([("user", "a"), ("user", "b")], True),
        ([("system", "s")], True), ([("user", "a"), ("system", "s")], True),
        ([("user", "a"), ("assistant", "b")], True), ([("system", "s"), ("assistant", "b")], False),
        ([("user", "a"), ("assistant", "b"), ("assistant", "c")], False),
    ]
    cases = []
    for index, (messages, gen) in enumerate(conversations, start=1):
        error = chat_error(pieces, messages, gen)
        text = None
        if error is None:
            text = render(messages, gen) if render is not None else \
                pieces.render(list(messages), add_generation_prompt=gen)
        cases.append({"name": f"chat{index:04d}", "messages": _messages(messages),
                      "add_generation_prompt": gen, "text": text, "error": error})
    return cases


def _float32_values(array: np.ndarray) -> list[float]:
    return [float(v) for v in array.astype(np.float32)]


def _logits(rng: np.random.Generator, size: int, style: int) -> np.ndarray:
    if style == 0:  # ordinary model-like logits
        return rng.normal(0.0, 3.0, size)
    if style == 1:  # many ties (rounded values), including -0.0 and 0.0
        values = np.round(rng.normal(0.0, 1.5, size))
        values[rng.random(size) < 0.2] = -0.0
        return values
    if style == 2:  # one dominant logit, the rest far below (underflowing weights)
        values = rng.normal(-60.0, 20.0, size)
        values[rng.integers(size)] = 25.0
        return values
    if style == 3:  # all equal
        return np.full(size, float(rng.normal()))
    return rng.uniform(-3.0e38, 3.0e38, size) / 1.0e37  # wide range


SAMPLER_OPTIONS = (
    SamplingOptions(0.0, 0, 1.0), SamplingOptions(1.0, 0, 1.0), SamplingOptions(0.7, 0, 1.0),
    SamplingOptions(0.05, 0, 1.0), SamplingOptions(5.0, 0, 1.0), SamplingOptions(1.0, 1, 1.0),
    SamplingOptions(0.8, 5, 1.0), SamplingOptions(1.0, 40, 1.0), SamplingOptions(1.0, 0, 0.9),
    SamplingOptions(0.6, 0, 0.5), SamplingOptions(1.2, 0, 0.05), SamplingOptions(0.9, 20, 0.95),
    SamplingOptions(1.0, 1000, 0.999), SamplingOptions(0.3, 3, 0.3),
)
SEEDS = (0, 1, 42, 2**32 + 7, 2**63, 2**64 - 1, 123456789123456789)


def sampler_cases(*, count: int = 168, steps: int = 2, seed: int = 20261202) -> list[dict[str, Any]]:
    """``count`` seeded sampler traces: every option set × logits style × seed, ``steps`` each."""
    rng = np.random.default_rng(seed)
    sizes = (1, 2, 3, 8, 17, 33, 64, 100)
    cases = []
    for index in range(count):
        options = SAMPLER_OPTIONS[index % len(SAMPLER_OPTIONS)]
        style = (index // len(SAMPLER_OPTIONS)) % 5
        size = sizes[(index * 7 + style) % len(sizes)]
        case_seed = SEEDS[index % len(SEEDS)]
        sampler = Sampler(options, case_seed)
        logits = [_float32_values(_logits(rng, size, style)) for _ in range(steps)]
        ids = [sampler.choose(step) for step in logits]
        cases.append({"name": f"sampler{index + 1:04d}", "temperature": options.temperature,
                      "top_k": options.top_k, "top_p": options.top_p, "seed": str(case_seed),
                      "logits": logits, "ids": ids, "draws": list(sampler.draws)})
    return cases


def exp_cases(*, count: int = 200, seed: int = 7) -> list[list[float]]:
    """``[x, exp(x)]`` pairs of the portable exp, over the range the sampler uses (x <= 0) and
    the branch boundaries of fdlibm's argument reduction."""
    rng = np.random.default_rng(seed)
    fixed = [0.0, -0.0, 1e-300, -1e-300, -1e-9, -0.3465735902799726, -0.34657359027997264,
             -0.5, -1.0397207708399179, -1.04, -1.0, -2.5, -10.0, -50.123, -700.0, -708.39,
             -709.1, -744.4, -745.1332191019411, -745.2, -800.0, 0.5, 1.0, 10.0, 88.7, 709.0]
    values = fixed + [float(v) for v in -rng.exponential(8.0, count - len(fixed))]
    return [[x, fdlibm_exp(x)] for x in values]


STOP_SCENARIOS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("<|im_end|>",), ("Hel", "lo", " <", "|im", "_end", "|>", "never")),
    (("<|im_end|>",), ("a <", "|im", "_x", " b")),
    (("\n\nUser:", "###"), ("One", "\n", "\nUs", "er", ": next")),
    (("\n\nUser:", "###"), ("#", "#", "x", "##", "#tail")),
    (("END",), ("the ENDING",)),
    (("END",), ("E", "N", "E", "N", "D!")),
    (("aab",), ("a", "a", "a", "a", "b", "c")),
    (("😀",), ("emoji ", "😀", " after")),
    (("日本",), ("日", "本語",)),
    (("",), ("empty stop strings", " are ignored")),
    ((), ("no stop strings", "")),
    (("x", "xyz"), ("abcxyz",)),
    (("yz", "xyz"), ("abcx", "yz")),
    (("stop",), ("", "", "st", "", "op")),
    (("e\u0301",), ("caf", "e", "\u0301", "!")),
    (("\r\n",), ("line\r", "\nnext")),
)


def stop_cases() -> list[dict[str, Any]]:
    cases = []
    for index, (stops, pieces) in enumerate(STOP_SCENARIOS, start=1):
        matcher = StopStringMatcher(stops)
        shown = [matcher.push(piece) for piece in pieces]
        cases.append({"name": f"stop{index:04d}", "stop_strings": list(stops), "pieces": list(pieces),
                      "shown": shown, "stopped": matcher.stopped, "final": matcher.finish()})
    return cases


STREAM_TEXTS = (
    "😀", "naïve café 😀 👨\u200d👩\u200d👧\u200d👦 done", "你好，世界！日本語 한국어",
    "مرحبا नमस्ते สวัสดี", "🇯🇵🇺🇸 e\u0301 ẞ Ω", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟘𝟙𝟚", "€100 — “quoted” …",
    *(c for c in HOSTILE_CONTENTS if any(ord(ch) > 0x7F for ch in c)),
)


def stream_cases(tokenizer_file: Path) -> list[dict[str, Any]]:
    """Streaming-decode cases whose ids split a multi-byte character (checked against
    ``tokenizers.decoders.DecodeStream``)."""
    from tokenizers import Tokenizer

    from sdkgen.tokenizers.golden import stream_case

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    cases = []
    for text in STREAM_TEXTS:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        case = stream_case(tokenizer, f"stream{len(cases) + 1:04d}", ids, True)
        if "" in case["pieces"] and "".join(case["pieces"]):
            case["text"] = text
            cases.append(case)
    if not cases:
        raise GoldenGenerationError(f"{tokenizer_file.name}: no text of the stream corpus splits a "
                                    "character across tokens")
    return cases


def _ids(value: object) -> bool:
    return isinstance(value, list | tuple) and len(value) > 0 and all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)


def _check_greedy(case: Mapping[str, Any]) -> None:
    name = case.get("name")
    if not (_ids(case.get("prompt_ids")) and _ids(case.get("ids"))):
        raise GoldenGenerationError(f"greedy case {name}: prompt_ids and ids must be non-empty lists "
                                    "of token ids")
    if case.get("check") not in CHECKS:
        raise GoldenGenerationError(f"greedy case {name}: check {case.get('check')!r} is not one of {CHECKS}")
    minimum = case.get("min_top1_agreement")
    if case["check"] == "teacher_forced" and not (isinstance(minimum, float | int) and 0 <= minimum <= 1):
        raise GoldenGenerationError(f"greedy case {name}: teacher_forced needs min_top1_agreement in [0, 1]")


def greedy_case(case: GreedyCase) -> dict[str, Any]:
    written = {key: list(value) if isinstance(value, tuple) else value
               for key, value in asdict(case).items()}
    _check_greedy(written)
    return written


def generation_document(*, chat: ChatPieces | None = None, render: Renderer | None = None,
                        tokenizer_file: Path | None = None, sampler: bool = False,
                        stops: bool = False, greedy: Sequence[GreedyCase] = ()) -> dict[str, Any]:
    """A golden document with the case kinds asked for."""
    document: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION}
    if chat is not None:
        document["chat"] = {k: v for k, v in asdict(chat).items() if k not in ("source", "template_sha256")}
        document["chat_source"] = chat.source
        document["chat_cases"] = chat_cases(chat, render)
    if sampler:
        document["sampler_cases"] = sampler_cases()
        document["exp_cases"] = exp_cases()
    if stops:
        document["stop_cases"] = stop_cases()
    if tokenizer_file is not None:
        document["tokenizer_file"] = tokenizer_file.name
        document["stream_cases"] = stream_cases(tokenizer_file)
    if greedy:
        document["greedy_cases"] = [greedy_case(c) for c in greedy]
    return document


def write_generation_golden(path: Path, document: Mapping[str, Any]) -> Path:
    """Write byte-for-byte reproducibly (sorted keys, UTF-8, two-space indent, final newline)."""
    for _, value in _floats(document):
        if not math.isfinite(value):
            raise GoldenGenerationError(f"{path.name}: {value} cannot be written to JSON")
    path.write_text(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


MODEL_FILE = "model.json"  # the model's own file: its chat pieces are the ones compiled into the SDKs
MODEL_TOKENIZER = "model.tokenizer.json"  # the tokenizer its stream cases (and the SDK tests) use


def write_model_golden(directory: Path, *, chat: ChatPieces | None, tokenizer_file: Path,
                       greedy: Sequence[GreedyCase] = ()) -> Path:
    """The model's golden files in ``directory`` (``golden/generation/`` of a build): a copy of
    its tokenizer as :data:`MODEL_TOKENIZER` and :data:`MODEL_FILE` with the chat, sampler, exp,
    stop, stream and greedy cases."""
    import shutil

    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = directory / MODEL_TOKENIZER
    shutil.copyfile(tokenizer_file, tokenizer)
    document = generation_document(chat=chat, tokenizer_file=tokenizer, sampler=True, stops=True,
                                   greedy=greedy)
    return write_generation_golden(directory / MODEL_FILE, document)


def _floats(value: Any, path: str = "") -> list[tuple[str, float]]:
    if isinstance(value, float):
        return [(path, value)]
    if isinstance(value, Mapping):
        return [f for k, v in value.items() for f in _floats(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [f for i, v in enumerate(value) for f in _floats(v, f"{path}[{i}]")]
    return []


def read_generation_golden(path: Path) -> dict[str, Any]:
    """The document of ``path``; refuses another format or version."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        raise GoldenGenerationError(f"{path.name}: format is {document.get('format')!r}, not {FORMAT!r}")
    if document.get("format_version") != FORMAT_VERSION:
        raise GoldenGenerationError(f"{path.name}: format_version {document.get('format_version')!r} "
                                    f"is not {FORMAT_VERSION}")
    return dict(document)


def pieces_of(document: Mapping[str, Any]) -> ChatPieces:
    chat = dict(document["chat"])
    return ChatPieces(source=str(document.get("chat_source", "")), template_sha256="", **chat)


def _bits32(value: float) -> int:
    return int(struct.unpack("<I", struct.pack("<f", value))[0])


def verify_document(document: Mapping[str, Any], directory: Path) -> dict[str, int]:
    """Recompute every case with the Python reference; the number of cases checked per kind."""
    counts: dict[str, int] = {}
    if "chat_cases" in document:
        pieces = pieces_of(document)
        for case in document["chat_cases"]:
            messages = [(m["role"], m["content"]) for m in case["messages"]]
            gen = case["add_generation_prompt"]
            error = chat_error(pieces, messages, gen)
            text = None if error else pieces.render(messages, add_generation_prompt=gen)
            if (text, error) != (case["text"], case["error"]):
                raise GoldenGenerationError(f"chat case {case['name']}: the reference gives "
                                            f"{(text, error)!r}")
        counts["chat"] = len(document["chat_cases"])
    for case in document.get("sampler_cases", ()):
        sampler = Sampler(SamplingOptions(case["temperature"], case["top_k"], case["top_p"]),
                          int(case["seed"]))
        for step in case["logits"]:
            if any(_bits32(v) != _bits32(float(np.float32(v))) or float(np.float32(v)) != v for v in step):
                raise GoldenGenerationError(f"sampler case {case['name']}: a logit is not a float32 value")
        ids = [sampler.choose(step) for step in case["logits"]]
        if ids != case["ids"] or sampler.draws != case["draws"]:
            raise GoldenGenerationError(f"sampler case {case['name']}: the reference chooses {ids}")
    if "sampler_cases" in document:
        counts["sampler"] = len(document["sampler_cases"])
    for x, y in document.get("exp_cases", ()):
        if fdlibm_exp(x) != y:
            raise GoldenGenerationError(f"exp case {x}: the reference gives {fdlibm_exp(x)!r}")
    if "exp_cases" in document:
        counts["exp"] = len(document["exp_cases"])
    for case in document.get("stop_cases", ()):
        matcher = StopStringMatcher(case["stop_strings"])
        shown = [matcher.push(p) for p in case["pieces"]]
        if (shown, matcher.stopped, matcher.finish()) != (case["shown"], case["stopped"], case["final"]):
            raise GoldenGenerationError(f"stop case {case['name']}: the reference shows {shown}")
    if "stop_cases" in document:
        counts["stop"] = len(document["stop_cases"])
    if "stream_cases" in document:
        from tokenizers import Tokenizer

        from sdkgen.tokenizers.golden import stream_pieces

        tokenizer = Tokenizer.from_file(str(directory / document["tokenizer_file"]))
        for case in document["stream_cases"]:
            if stream_pieces(tokenizer, case["ids"], case["skip_special_tokens"]) != case["pieces"]:
                raise GoldenGenerationError(f"stream case {case['name']}: the reference differs")
        counts["stream"] = len(document["stream_cases"])
    for case in document.get("greedy_cases", ()):
        _check_greedy(case)
    if "greedy_cases" in document:
        counts["greedy"] = len(document["greedy_cases"])
    return counts
