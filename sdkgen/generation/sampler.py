"""The portable seeded sampler: Python reference of what the Kotlin and Swift SDKs do.

Same logits, options and seed → the same token id in Python, Kotlin and Swift. Each language's own
``Random`` and ``exp`` are not used: the random generator is PCG32 (O'Neill, ``pcg32_random_r``,
XSH-RR, 64-bit state) and ``exp`` is fdlibm's ``__ieee754_exp`` (what Java's ``StrictMath.exp``
is specified to return), both in exact integer or IEEE-754 float64 arithmetic with no fused
multiply-add. The full rule is in ``docs/golden-format.md`` ("Sampler"); this module is the
source of truth and the golden writer's oracle.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass

MASK64 = (1 << 64) - 1
PCG32_MULTIPLIER = 6364136223846793005
PCG32_INCREMENT = 1442695040888963407  # (initseq << 1) | 1 with initseq = 721347520444481703
TWO_POW_MINUS_32 = 2.0 ** -32


class SamplingError(ValueError):
    """Logits or options the sampler cannot use (NaN logits, out-of-range options)."""


class Pcg32:
    """PCG32 (``pcg32_srandom_r(seed, 721347520444481703)``, then ``pcg32_random_r`` per draw)."""

    def __init__(self, seed: int) -> None:
        if not 0 <= seed <= MASK64:
            raise SamplingError(f"seed {seed} is not in 0 ... 2**64 - 1")
        self.state = 0
        self.increment = PCG32_INCREMENT
        self.next_u32()
        self.state = (self.state + seed) & MASK64
        self.next_u32()

    def next_u32(self) -> int:
        old = self.state
        self.state = (old * PCG32_MULTIPLIER + self.increment) & MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rotation = old >> 59
        return ((xorshifted >> rotation) | (xorshifted << ((-rotation) & 31))) & 0xFFFFFFFF

    def next_unit(self) -> float:
        """A float64 in [0, 1): the next 32-bit draw times 2**-32 (exact)."""
        return self.next_u32() * TWO_POW_MINUS_32


# fdlibm 5.3 e_exp.c constants (exact float64 values, written as their bit patterns)
def _f64(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<Q", bits))[0])


def _bits(value: float) -> int:
    return int(struct.unpack("<Q", struct.pack("<d", value))[0])


_HALF = (0.5, -0.5)
_HUGE = 1.0e300
_TWOM1000 = _f64(0x0170000000000000)
_O_THRESHOLD = _f64(0x40862E42FEFA39EF)
_U_THRESHOLD = _f64(0xC0874910D52D3051)
_LN2_HI = (_f64(0x3FE62E42FEE00000), _f64(0xBFE62E42FEE00000))
_LN2_LO = (_f64(0x3DEA39EF35793C76), _f64(0xBDEA39EF35793C76))
_INV_LN2 = _f64(0x3FF71547652B82FE)
_P1 = _f64(0x3FC555555555553E)
_P2 = _f64(0xBF66C16C16BEBD93)
_P3 = _f64(0x3F11566AAF25DE2C)
_P4 = _f64(0xBEBBBD41C5D26BF1)
_P5 = _f64(0x3E66376972BEA4D0)


def _add_exponent(y: float, k: int) -> float:
    return _f64((_bits(y) + (k << 52)) & MASK64)


def fdlibm_exp(x: float) -> float:
    """``exp(x)`` exactly as fdlibm's ``__ieee754_exp`` (Java ``StrictMath.exp``) computes it."""
    high = _bits(x) >> 32
    sign = (high >> 31) & 1
    high &= 0x7FFFFFFF
    if high >= 0x40862E42:
        if high >= 0x7FF00000:
            if math.isnan(x):
                return x + x
            return x if sign == 0 else 0.0
        if x > _O_THRESHOLD:
            return math.inf
        if x < _U_THRESHOLD:
            return 0.0
    k = 0
    hi = lo = 0.0
    if high > 0x3FD62E42:
        if high < 0x3FF0A2B2:
            hi = x - _LN2_HI[sign]
            lo = _LN2_LO[sign]
            k = 1 - sign - sign
        else:
            k = int(_INV_LN2 * x + _HALF[sign])  # C's (int) truncates toward zero
            t = float(k)
            hi = x - t * _LN2_HI[0]
            lo = t * _LN2_LO[0]
        x = hi - lo
    elif high < 0x3E300000:
        return 1.0 + x
    t = x * x
    c = x - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    if k == 0:
        return 1.0 - ((x * c) / (c - 2.0) - x)
    y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi)
    if k >= -1021:
        return _add_exponent(y, k)
    return _add_exponent(y, k + 1000) * _TWOM1000


@dataclass(frozen=True)
class SamplingOptions:
    """``temperature == 0``: greedy. ``top_k == 0``: no top-k. ``top_p == 1``: no top-p."""

    temperature: float = 0.0
    top_k: int = 0
    top_p: float = 1.0

    def check(self) -> None:
        if not (self.temperature >= 0.0 and math.isfinite(self.temperature)):
            raise SamplingError(f"temperature {self.temperature} is not a finite number >= 0")
        if self.top_k < 0:
            raise SamplingError(f"top_k {self.top_k} is negative")
        if not 0.0 < self.top_p <= 1.0:
            raise SamplingError(f"top_p {self.top_p} is not in (0, 1]")


def _float32(value: float) -> float:
    return float(struct.unpack("<f", struct.pack("<f", value))[0])


def greedy(logits: Sequence[float]) -> int:
    """The lowest id of the largest logit (IEEE comparison: -0.0 equals 0.0)."""
    if not logits:
        raise SamplingError("no logits")
    best = 0
    for index, value in enumerate(logits):
        if math.isnan(value):
            raise SamplingError(f"logit {index} is NaN")
        if value > logits[best]:
            best = index
    return best


def candidates(logits: Sequence[float], options: SamplingOptions) -> tuple[list[int], list[float]]:
    """The ids a draw chooses among, in order, and their unnormalised weights (float64)."""
    temperature = float(options.temperature)
    scaled = [_float32(v) / temperature for v in logits]  # float32 logit → float64, then divide
    # descending by scaled value, ties by lower id; -0.0 and 0.0 are equal (Python's float order)
    order = sorted(range(len(scaled)), key=lambda i: (-scaled[i], i))
    if options.top_k > 0:
        order = order[:options.top_k]
    top = scaled[order[0]]
    if top == -math.inf:  # every logit is -inf: the lowest id, with weight 1
        return order[:1], [1.0]
    weights = [fdlibm_exp(scaled[i] - top) for i in order]
    if options.top_p < 1.0:
        total = _sequential_sum(weights)
        cumulative = 0.0
        keep = len(weights)
        for position, weight in enumerate(weights):
            cumulative += weight / total
            if cumulative >= options.top_p:
                keep = position + 1
                break
        order, weights = order[:keep], weights[:keep]
    return order, weights


def _sequential_sum(values: Sequence[float]) -> float:
    total = 0.0
    for value in values:
        total += value
    return total


class Sampler:
    """Chooses token ids from logits: one PCG32 draw per non-greedy choice, none for greedy."""

    def __init__(self, options: SamplingOptions, seed: int) -> None:
        options.check()
        self.options = options
        self.random = Pcg32(seed)
        self.draws: list[int] = []  # every 32-bit draw made, for traces

    def choose(self, logits: Sequence[float]) -> int:
        if not logits:
            raise SamplingError("no logits")
        for index, value in enumerate(logits):
            if math.isnan(value):
                raise SamplingError(f"logit {index} is NaN")
        if self.options.temperature == 0.0:
            return greedy(logits)
        order, weights = candidates(logits, self.options)
        draw = self.random.next_u32()
        self.draws.append(draw)
        target = (draw * TWO_POW_MINUS_32) * _sequential_sum(weights)
        cumulative = 0.0
        for token, weight in zip(order, weights, strict=True):
            cumulative += weight
            if target < cumulative:
                return token
        return order[-1]
