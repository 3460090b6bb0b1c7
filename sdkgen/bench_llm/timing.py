"""Time one greedy generation and read the process's peak resident memory.

Time to first token: from feeding the prompt ids (one prefill call) to the first token chosen
(argmax of the last-token logits). Prefill tokens per second: prompt ids over that time. Decode
tokens per second: the following ``decode_tokens`` one-token steps (each choosing its token) over
their time. Every engine chooses tokens with the same NumPy argmax, so the figures compare the
engines, not their samplers.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.llm.evaluate import Decoder


@dataclass(frozen=True)
class Generation:
    ttft_s: float
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    ids: list[int]  # the first token and the decoded ones


def generate(decoder: Decoder, prompt: list[int], decode_tokens: int) -> Generation:
    decoder.reset()
    started = time.perf_counter()
    token = int(np.argmax(decoder.step(prompt, 0)))
    first = time.perf_counter()
    ids = [token]
    position = len(prompt)
    for _ in range(decode_tokens):
        token = int(np.argmax(decoder.step([token], position)))
        ids.append(token)
        position += 1
    done = time.perf_counter()
    return Generation(first - started, len(prompt) / (first - started),
                      decode_tokens / (done - first) if decode_tokens else 0.0, ids)


@dataclass(frozen=True)
class Speed:
    """Medians over the timed repeats (warm-up runs excluded); each repeat's figures kept too."""

    ttft_ms: float
    prefill_tokens_per_s: float
    decode_tokens_per_s: float
    repeats: list[dict[str, float]]
    ids: list[int]  # of the last repeat (every repeat of a float engine gives the same ids)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def measure(decoder: Decoder, prompt: list[int], decode_tokens: int, *, warmup: int,
            repeats: int) -> Speed:
    for _ in range(warmup):
        generate(decoder, prompt, decode_tokens)
    runs = [generate(decoder, prompt, decode_tokens) for _ in range(repeats)]
    return Speed(
        ttft_ms=round(statistics.median(r.ttft_s for r in runs) * 1e3, 2),
        prefill_tokens_per_s=round(statistics.median(r.prefill_tokens_per_s for r in runs), 2),
        decode_tokens_per_s=round(statistics.median(r.decode_tokens_per_s for r in runs), 2),
        repeats=[{"ttft_ms": round(r.ttft_s * 1e3, 2),
                  "prefill_tokens_per_s": round(r.prefill_tokens_per_s, 2),
                  "decode_tokens_per_s": round(r.decode_tokens_per_s, 2)} for r in runs],
        ids=runs[-1].ids,
    )


def peak_rss_bytes() -> int:
    """This process's peak resident set size so far (``VmHWM``; ``ru_maxrss`` where /proc lacks it)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # bytes on macOS, KiB on Linux
