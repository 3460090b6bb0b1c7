"""The generated Kotlin generation core and tokenizer reproduce the Python reference on every
golden case of a built tree.

The built text-generation Android tree (``android_build``: platform templates, tokenizer,
generation overlay, from ``sdkgen build`` of a tiny model) is compiled once with the real Kotlin
compiler; JUnit runs the generated tests of the platform-free parts from those classes: one JUnit
test per golden case (chat, sampler, exp, stop, stream, greedy; the build's model file and the
hand-built chat-template files), the generation loop on a scripted runtime, and one test per
tokenizer case of the build's ``golden/text/``.
"""

from __future__ import annotations

import pytest

from generation import kotlin_build
from generation.android_build import AndroidBuild
from generation.conftest import BuiltGeneration


@pytest.fixture(scope="module")
def built(android_generation: AndroidBuild) -> kotlin_build.Built:
    if android_generation.tests_compilation is None or android_generation.tests_compilation.returncode != 0:
        pytest.fail("the text-generation Android tree did not compile (see test_android_generation)")
    return android_generation.junit_build()


def test_junit_passes_one_test_per_golden_case(built: kotlin_build.Built,
                                               built_generation: BuiltGeneration) -> None:
    run = kotlin_build.run_junit(built, built_generation.resources, "generation.GenerationGoldenTest")
    counts = built_generation.counts
    print(f"JUnit GenerationGoldenTest: {run.passed} passed, {run.failed} failed; cases per kind {counts}")
    assert run.failed == 0, run.output[:6000]
    assert run.passed == sum(counts.values()) + 1  # and model.json's pieces == ChatTemplate.MODEL
    assert counts["greedy"] == 2  # eager PyTorch's continuations of the build's two prompts


def test_generation_loop_on_a_scripted_runtime(built: kotlin_build.Built,
                                               built_generation: BuiltGeneration) -> None:
    run = kotlin_build.run_junit(built, built_generation.resources, "generation.TokenGeneratorTest")
    print(f"JUnit TokenGeneratorTest: {run.passed} passed, {run.failed} failed")
    assert run.failed == 0, run.output[:6000]
    assert run.passed == 7


def test_the_tokenizer_passes_the_builds_text_cases(built: kotlin_build.Built,
                                                   built_generation: BuiltGeneration) -> None:
    run = kotlin_build.run_junit(built, built_generation.resources, "tokenizer.TokenizerGoldenTest")
    print(f"JUnit TokenizerGoldenTest: {run.passed} passed, {run.failed} failed")
    assert run.failed == 0, run.output[:6000]
    assert run.passed == built_generation.text_cases
