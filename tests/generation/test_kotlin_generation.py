"""The generated Kotlin generation core reproduces the Python reference on every golden case.

The text-generation Android tree (``android_build``: platform templates, tokenizer, generation
overlay) is compiled once with the real Kotlin compiler; JUnit runs the generated tests of the
platform-free generation core from those classes: one JUnit test per golden case (chat, sampler, exp, stop, stream, greedy), and the
generation loop on a scripted runtime.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generation import kotlin_build
from generation.android_build import AndroidBuild


@pytest.fixture(scope="module")
def built(android_generation: AndroidBuild) -> kotlin_build.Built:
    if android_generation.tests_compilation is None or android_generation.tests_compilation.returncode != 0:
        pytest.fail("the text-generation Android tree did not compile (see test_android_generation)")
    return android_generation.junit_build()


def _resources(golden: Path, out: Path) -> Path:
    shutil.copytree(golden, out / "golden" / "generation")
    return out


def test_junit_passes_one_test_per_golden_case(built: kotlin_build.Built,
                                               golden_generation: tuple[Path, dict[str, int]],
                                               tmp_path: Path) -> None:
    golden, counts = golden_generation
    run = kotlin_build.run_junit(built, _resources(golden, tmp_path), "generation.GenerationGoldenTest")
    print(f"JUnit GenerationGoldenTest: {run.passed} passed, {run.failed} failed; cases per kind {counts}")
    assert run.failed == 0, run.output[:6000]
    assert run.passed == sum(counts.values()) + 1  # and model.json's pieces == ChatTemplate.MODEL


def test_generation_loop_on_a_scripted_runtime(built: kotlin_build.Built,
                                               golden_generation: tuple[Path, dict[str, int]],
                                               tmp_path: Path) -> None:
    golden, _ = golden_generation
    run = kotlin_build.run_junit(built, _resources(golden, tmp_path), "generation.TokenGeneratorTest")
    print(f"JUnit TokenGeneratorTest: {run.passed} passed, {run.failed} failed")
    assert run.failed == 0, run.output[:6000]
    assert run.passed == 7
