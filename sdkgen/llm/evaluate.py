"""How a language model artifact is proven against eager PyTorch.

- **Greedy parity** (float artifacts): the same prompt ids, the same number of new tokens, the same
  ids token for token; the first step's logits are compared too.
- **Teacher-forced agreement and perplexity** (every variant): over real English text, each
  position's next-token prediction of the variant against float eager's — top-1 equal, float's
  top-1 within the variant's top 5 — and the perplexity of the text itself. Greedy text is no
  metric for quantised models (one different token changes all that follows, and quantised
  kernels differ with thread count and prefill chunking).
- **Runner smoke test**: ExecuTorch's own C++ LLM runner (``TextLLMRunner``, shipped in the wheel)
  loads the ``.pte`` with the ``tokenizer.json`` and generates, reading the metadata methods.

Every ``.pte`` figure is measured with :data:`EVALUATION_THREADS` ExecuTorch thread(s): the logits of
a one-token step depend on the thread count (measured on SmolLM2's gguf-q4 file with 16 outlier
channels: 5 of 128 steps' top token and logits up to 1.86 apart between 1 and 2 threads; float
``.pte`` up to 1.2e-4), so a pool sized by the machine's cores would make the report, and the
format the budget picks, depend on the machine. Eager PyTorch gave bit-identical logits at 1, 2
and 4 threads.

Decoders are small step interfaces: :class:`EagerDecoder` (the ``transformers`` model with its
cache), :class:`PteDecoder` (the ExecuTorch Python runtime), and any torch module with the same
``step`` (the Core ML module before conversion).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

EVALUATION_THREADS = 1


class Decoder(Protocol):
    def reset(self) -> None: ...

    def step(self, tokens: Sequence[int], position: int) -> np.ndarray:
        """Feed ``tokens`` at ``position`` (the cache holds everything before): last-token logits."""
        ...


class EagerDecoder:
    """The ``transformers`` model, float32, with its own KV cache."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.cache: Any = None

    def reset(self) -> None:
        self.cache = None

    def step(self, tokens: Sequence[int], position: int) -> np.ndarray:
        import torch

        with torch.no_grad():
            output = self.model(input_ids=torch.tensor([list(tokens)], dtype=torch.long),
                                past_key_values=self.cache, use_cache=True)
        self.cache = output.past_key_values
        return output.logits[0, -1].float().numpy()

    def all_logits(self, tokens: Sequence[int]) -> np.ndarray:
        import torch

        with torch.no_grad():
            return self.model(input_ids=torch.tensor([list(tokens)])).logits[0].float().numpy()


class PteDecoder:
    """A decoder ``.pte`` in the ExecuTorch Python runtime: ``forward(tokens, input_pos)``."""

    def __init__(self, path: Path) -> None:
        from executorch.runtime import Runtime

        from sdkgen.export.executorch_llm import load_runtime_operators

        load_runtime_operators()
        self.program = Runtime.get().load_program(str(path))
        self.forward = self.program.load_method("forward")

    def metadata(self, name: str) -> Any:
        return self.program.load_method(name).execute([])

    def reset(self) -> None:
        """Positions restart at 0: the cache is overwritten, nothing beyond a position is read."""

    def step(self, tokens: Sequence[int], position: int) -> np.ndarray:
        import torch

        output = self.forward.execute([torch.tensor([list(tokens)], dtype=torch.long),
                                       torch.tensor([position], dtype=torch.long)])
        return output[0].reshape(-1).float().numpy()


def greedy(decoder: Decoder, prompt: Sequence[int], new_tokens: int) -> tuple[list[int], np.ndarray]:
    """The ``new_tokens`` greedy ids after ``prompt`` (never stopping early) and the first logits."""
    decoder.reset()
    logits = decoder.step(prompt, 0)
    first = logits
    ids: list[int] = []
    position = len(prompt)
    for _ in range(new_tokens):
        token = int(np.argmax(logits))
        ids.append(token)
        if len(ids) == new_tokens:
            break
        logits = decoder.step([token], position)
        position += 1
    return ids, first


@dataclass(frozen=True)
class GreedyCase:
    prompt_tokens: int
    expected: list[int]
    produced: list[int]
    first_logits_max_abs_diff: float

    @property
    def identical_tokens(self) -> int:
        same = 0
        for a, b in zip(self.expected, self.produced, strict=True):
            if a != b:
                break
            same += 1
        return same


@dataclass(frozen=True)
class GreedyParity:
    artifact: str
    cases: list[GreedyCase]

    @property
    def passed(self) -> bool:
        return all(c.expected == c.produced for c in self.cases)

    def to_json(self) -> dict[str, Any]:
        return {
            "artifact": self.artifact, "status": "passed" if self.passed else "failed",
            "prompts": len(self.cases),
            "new_tokens_per_prompt": len(self.cases[0].expected) if self.cases else 0,
            "identical_tokens": sum(c.identical_tokens for c in self.cases),
            "total_tokens": sum(len(c.expected) for c in self.cases),
            "first_logits_max_abs_diff": float(f"{max(c.first_logits_max_abs_diff for c in self.cases):.3g}"),
            "first_divergence": [c.identical_tokens if c.expected != c.produced else None
                                 for c in self.cases],
        }


def greedy_parity(name: str, reference: list[list[int]], reference_first: list[np.ndarray],
                  decoder: Decoder, prompts: list[list[int]]) -> GreedyParity:
    cases = []
    for prompt, expected, first in zip(prompts, reference, reference_first, strict=True):
        produced, logits = greedy(decoder, prompt, len(expected))
        cases.append(GreedyCase(len(prompt), expected, produced,
                                float(np.max(np.abs(logits - first)))))
    return GreedyParity(name, cases)


@dataclass(frozen=True)
class TeacherForced:
    """Float eager's view of the evaluation text, which every variant is measured against."""

    windows: list[list[int]]  # token windows, each scored from its second token
    top1: np.ndarray  # float eager's argmax per scored position
    nll: np.ndarray  # float eager's negative log-likelihood of the true next token


@dataclass(frozen=True)
class Agreement:
    name: str
    positions: int
    top1_agreement: float
    top5_agreement: float
    perplexity: float

    def to_json(self) -> dict[str, Any]:
        return {key: (float(f"{value:.4g}") if isinstance(value, float) else value)
                for key, value in asdict(self).items()}


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits.astype(np.float64) - np.max(logits, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def windows_of(tokens: Sequence[int], length: int) -> list[list[int]]:
    return [list(tokens[i:i + length]) for i in range(0, len(tokens) - 1, length)
            if len(tokens[i:i + length]) > 1]


def teacher_forced_reference(eager: EagerDecoder, tokens: Sequence[int],
                             window: int) -> tuple[TeacherForced, Agreement]:
    windows = windows_of(tokens, window)
    top1, nll = [], []
    for piece in windows:
        logits = eager.all_logits(piece)[:-1]
        log_probs = _log_softmax(logits)
        top1.append(np.argmax(logits, axis=-1))
        nll.append(-log_probs[np.arange(len(piece) - 1), piece[1:]])
    reference = TeacherForced(windows, np.concatenate(top1), np.concatenate(nll))
    figures = Agreement("eager float32", len(reference.top1), 1.0, 1.0,
                        math.exp(float(np.mean(reference.nll))))
    return reference, figures


def teacher_forced(name: str, decoder: Decoder, reference: TeacherForced,
                   limit: int | None = None) -> Agreement:
    """Step ``decoder`` through the windows one token at a time (each step's logits scored);
    ``limit`` stops after that many positions (slow decoders: the first ones of the text)."""
    top1_hits = top5_hits = 0
    nll: list[float] = []
    index = 0
    for piece in reference.windows:
        decoder.reset()
        for position in range(len(piece) - 1):
            if limit is not None and index >= limit:
                break
            logits = decoder.step([piece[position]], position)
            expected = int(reference.top1[index])
            top5 = np.argpartition(-logits, 5)[:5]
            top1_hits += int(np.argmax(logits)) == expected
            top5_hits += expected in top5
            nll.append(-float(_log_softmax(logits)[piece[position + 1]]))
            index += 1
    return Agreement(name, index, top1_hits / index, top5_hits / index,
                     math.exp(float(np.mean(nll))))


@dataclass(frozen=True)
class RunnerSmoke:
    artifact: str
    prompt: str
    text: str
    generated_tokens: int
    matches_python_greedy: bool | None  # None: not compared (see note)
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@contextlib.contextmanager
def _native_stdout(target: int) -> Iterator[None]:
    """Point file descriptor 1 at ``target`` meanwhile (the C++ runner prints every piece there);
    restored afterwards, so ``--json`` keeps stdout to one document."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(target, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


RUNNER_STATS_LINE = "PyTorchObserver "  # the runner prints its statistics after the text


def _generated_part(printed: str) -> str:
    """The generated text of what the runner printed: without its statistics line."""
    cut = printed.find("\n" + RUNNER_STATS_LINE)
    if cut < 0 and printed.startswith(RUNNER_STATS_LINE):
        cut = 0
    return printed if cut < 0 else printed[:cut]


def runner_smoke_test(pte: Path, tokenizer_json: Path, prompt: str, *, max_new_tokens: int,
                      bos: bool, expected_text: str | None) -> RunnerSmoke:
    """Generate with ExecuTorch's C++ ``TextLLMRunner`` (greedy), as an app's runner would.

    The pieces come through the Python binding's token callback; a piece that splits a UTF-8
    character cannot cross that binding (it raises ``UnicodeDecodeError``), so then the run is
    repeated with the runner's own printed output (which drops unprintable single bytes) and the
    text is not compared.
    """
    import tempfile

    from executorch.extension.llm.runner import GenerationConfig, TextLLMRunner

    config = GenerationConfig(echo=False, max_new_tokens=max_new_tokens, temperature=0.0,
                              num_bos=1 if bos else 0, num_eos=0)
    pieces: list[str] = []
    counts: list[int] = []

    def count(stats: Any) -> None:
        counts.append(int(stats.num_generated_tokens))

    try:
        with _native_stdout(2):
            TextLLMRunner(str(pte), str(tokenizer_json)).generate(
                prompt, config, token_callback=pieces.append, stats_callback=count)
    except UnicodeDecodeError:
        counts.clear()
        with tempfile.TemporaryFile() as printed:
            with _native_stdout(printed.fileno()):
                TextLLMRunner(str(pte), str(tokenizer_json)).generate(prompt, config,
                                                                      stats_callback=count)
            printed.seek(0)
            text = _generated_part(printed.read().decode("utf-8", errors="replace"))
        return RunnerSmoke(
            artifact=pte.name, prompt=prompt, text=text,
            generated_tokens=counts[-1] if counts else 0, matches_python_greedy=None,
            note="a generated piece splits a UTF-8 character, which the runner's Python binding "
            "cannot pass: text read from the runner's own output, not compared",
        )
    text = "".join(pieces)
    return RunnerSmoke(
        artifact=pte.name, prompt=prompt, text=text,
        generated_tokens=counts[-1] if counts else len(pieces),
        matches_python_greedy=None if expected_text is None else text == expected_text,
        note="" if expected_text is not None else "quantised: greedy ids depend on kernels and "
        "threads, compared teacher-forced instead",
    )
