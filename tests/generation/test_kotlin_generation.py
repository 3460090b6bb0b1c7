"""The generated Kotlin generation core reproduces the Python reference on every golden case.

The tokenizer (text feature) and the generation package are rendered from a hand-built context,
compiled with the real Kotlin compiler (strict explicit API, no warnings), and JUnit runs the
generated tests: one JUnit test per golden case (chat, sampler, exp, stop, stream, greedy), and the
generation loop on a scripted runtime.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generation import kotlin_build
from sdkgen.codegen.context import SdkContext


@pytest.fixture(scope="module")
def built(text_generation_sdk: SdkContext, tmp_path_factory: pytest.TempPathFactory) -> kotlin_build.Built:
    from android.conftest import require_junit, require_kotlin

    require_kotlin()
    require_junit()
    work = tmp_path_factory.mktemp("kotlin-generation")
    module = kotlin_build.render(text_generation_sdk, work / "rendered")
    return kotlin_build.compile_pure(module, text_generation_sdk.android.package, work)


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
