"""Render the Kotlin generation templates and run their JUnit tests over a golden folder.

The text feature's Android templates (the tokenizer) and the text-generation task's Android
overlay render together from a hand-built context; :mod:`generation.android_build` compiles them,
and JUnit runs the generation tests from those classes with a golden folder on the classpath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from android import toolchain

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree
from sdkgen.codegen.templates import template_root

TEXT_ANDROID = template_root() / "features" / "text" / "android"
GENERATION_ANDROID = template_root() / "tasks" / "text_generation" / "android"
TEST_CLASSES = ("generation.GenerationGoldenTest", "generation.TokenGeneratorTest")
_JUNIT_OK = re.compile(r"^OK \((\d+) tests?\)$", re.MULTILINE)
_JUNIT_FAILED = re.compile(r"^Tests run: (\d+),  Failures: (\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class Built:
    package: str
    main: Path
    tests: Path
    module: Path  # the rendered library module
    classpath: tuple[Path, ...]


@dataclass(frozen=True)
class JUnitRun:
    passed: int
    failed: int
    output: str


def render_text_feature(sdk: SdkContext, out: Path) -> None:
    """The text feature's Android files (the tokenizer), until the plan renders them for this task."""
    render_tree(TEXT_ANDROID, sdk, out)


def render(sdk: SdkContext, out: Path) -> Path:
    """Render the tokenizer and the generation overlay into ``out``; returns the library module."""
    render_tree(TEXT_ANDROID, sdk, out)
    render_tree(GENERATION_ANDROID, sdk, out)
    return out / sdk.android.module_name


def run_junit(built: Built, resources: Path, test_class: str) -> JUnitRun:
    """Run ``test_class`` with ``resources`` (holding ``golden/generation/``) on the classpath."""
    result = toolchain.java("org.junit.runner.JUnitCore", [f"{built.package}.{test_class}"],
                            classpath=[built.main, built.tests, *built.classpath, resources])
    output = result.stdout + result.stderr
    ok = _JUNIT_OK.search(result.stdout)
    if ok:
        return JUnitRun(int(ok.group(1)), 0, output)
    failed = _JUNIT_FAILED.search(result.stdout)
    if failed:
        run, failures = int(failed.group(1)), int(failed.group(2))
        return JUnitRun(run - failures, failures, output)
    raise RuntimeError(f"JUnit did not run:\n{output}")
