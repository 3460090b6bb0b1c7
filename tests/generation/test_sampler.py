"""The portable sampler's reference: PCG32, fdlibm exp, and the choice rule of the golden format."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest

from sdkgen.generation.sampler import (
    Pcg32,
    Sampler,
    SamplingError,
    SamplingOptions,
    candidates,
    fdlibm_exp,
    greedy,
)


def test_pcg32_matches_the_published_demo_output() -> None:
    # pcg32-global-demo: pcg32_srandom_r(&rng, 42u, 54u), then pcg32_random_r six times
    generator = Pcg32(42, sequence=54)
    assert [generator.next_u32() for _ in range(6)] == [
        0xA15C02B7, 0x7B47F409, 0xBA1D3330, 0x83D2F293, 0xBFA4784B, 0xCBED606E]


def test_pcg32_seeds_cover_64_bits() -> None:
    first = {Pcg32(seed).next_u32() for seed in (0, 1, 2**32, 2**63, 2**64 - 1)}
    assert len(first) == 5
    with pytest.raises(SamplingError):
        Pcg32(2**64)
    assert Pcg32(5).next_unit() == Pcg32(5).next_u32() * 2.0 ** -32


def test_fdlibm_exp_is_within_one_ulp_of_libm() -> None:
    rng = random.Random(3)
    for x in [rng.uniform(-745.0, 709.0) for _ in range(20000)] + [0.0, -0.0, 1e-30, -0.34657359]:
        assert math.isclose(fdlibm_exp(x), math.exp(x), rel_tol=2.3e-16, abs_tol=5e-324)
    assert fdlibm_exp(0.0) == 1.0
    assert fdlibm_exp(-800.0) == 0.0
    assert fdlibm_exp(-math.inf) == 0.0
    assert fdlibm_exp(710.0) == math.inf
    assert math.isnan(fdlibm_exp(math.nan))


def test_greedy_takes_the_lowest_id_of_the_largest_logit() -> None:
    assert greedy([0.5, 2.0, 2.0, -1.0]) == 1
    assert greedy([-0.0, 0.0]) == 0  # IEEE: -0.0 == 0.0
    assert greedy([0.0, -0.0, 0.0]) == 0
    sampler = Sampler(SamplingOptions(temperature=0.0), seed=9)
    assert sampler.choose([1.0, 3.0, 3.0]) == 1
    assert sampler.draws == []  # greedy makes no draw


def test_candidates_order_ties_by_lower_id_and_cut_top_k_and_top_p() -> None:
    logits = [1.0, 3.0, 3.0, -0.0, 0.0, 2.0]
    order, weights = candidates(logits, SamplingOptions(temperature=1.0))
    assert order == [1, 2, 5, 0, 3, 4]
    assert weights[0] == 1.0 and weights[1] == 1.0
    order, _ = candidates(logits, SamplingOptions(temperature=1.0, top_k=2))
    assert order == [1, 2]
    probabilities = [math.log(p) for p in (0.5, 0.3, 0.2)]
    order, _ = candidates(probabilities, SamplingOptions(temperature=1.0, top_p=0.6))
    assert order == [0, 1]
    order, _ = candidates(probabilities, SamplingOptions(temperature=1.0, top_p=0.5))
    assert order == [0]


def test_sampling_follows_the_softmax() -> None:
    logits = [math.log(p) for p in (0.5, 0.25, 0.25)]
    sampler = Sampler(SamplingOptions(temperature=1.0), seed=2026)
    counts = Counter(sampler.choose(logits) for _ in range(20000))
    assert abs(counts[0] / 20000 - 0.5) < 0.02
    assert abs(counts[1] / 20000 - 0.25) < 0.02
    assert len(sampler.draws) == 20000


def test_top_k_one_is_greedy_but_draws() -> None:
    rng = random.Random(1)
    sampler = Sampler(SamplingOptions(temperature=0.8, top_k=1), seed=3)
    for _ in range(50):
        logits = [rng.gauss(0.0, 2.0) for _ in range(30)]
        assert sampler.choose(logits) == greedy(logits)
    assert len(sampler.draws) == 50


def test_same_seed_same_ids_other_seed_other_ids() -> None:
    rng = random.Random(5)
    rows = [[rng.gauss(0.0, 1.0) for _ in range(50)] for _ in range(40)]

    def run(seed: int) -> list[int]:
        sampler = Sampler(SamplingOptions(temperature=1.0, top_p=0.9), seed=seed)
        return [sampler.choose(row) for row in rows]

    assert run(11) == run(11)
    assert run(11) != run(12)


def test_all_minus_infinity_and_bad_input() -> None:
    sampler = Sampler(SamplingOptions(temperature=1.0), seed=0)
    assert sampler.choose([-math.inf, -math.inf]) == 0
    with pytest.raises(SamplingError, match="NaN"):
        sampler.choose([0.0, math.nan])
    with pytest.raises(SamplingError, match="no logits"):
        sampler.choose([])
    for options in (SamplingOptions(temperature=-1.0), SamplingOptions(top_k=-1),
                    SamplingOptions(top_p=0.0), SamplingOptions(top_p=1.5),
                    SamplingOptions(temperature=math.inf)):
        with pytest.raises(SamplingError):
            Sampler(options, seed=0)
