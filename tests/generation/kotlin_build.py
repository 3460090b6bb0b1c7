"""Render, compile and run the Kotlin generation core (pure Kotlin) and its JUnit tests.

The text feature's Android templates (the tokenizer) and the text-generation task's Android
overlay are rendered together with a hand-built context; the platform-free sources — the
``tokenizer`` and ``generation`` packages — are compiled with the real Kotlin compiler in strict
explicit-API mode, with no warnings, and JUnit runs the generation tests over a golden folder.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from android import toolchain

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree
from sdkgen.codegen.templates import template_root

TEXT_ANDROID = template_root() / "features" / "text" / "android"
GENERATION_ANDROID = template_root() / "tasks" / "text_generation" / "android"
PURE_PACKAGES = ("tokenizer", "generation")
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


def _package_dir(module: Path, part: str, package: str) -> Path:
    return module / "src" / part / "java" / Path(*package.split("."))


def compile_pure(module: Path, package: str, work: Path,
                 patch: Callable[[Path], None] | None = None) -> Built:
    kotlin = toolchain.find_kotlin()
    junit = toolchain.junit_classpath()
    if kotlin is None or junit is None:
        raise RuntimeError("the Kotlin compiler or JUnit 4 is missing")
    if patch is not None:
        patch(module)
    sources = sorted(p for name in PURE_PACKAGES
                     for p in (_package_dir(module, "main", package) / name).glob("*.kt"))
    main, tests = work / "main", work / "tests"
    compiled = toolchain.kotlinc(kotlin, sources, classpath=[], out=main, extra=["-Xexplicit-api=strict"])
    if compiled.returncode != 0 or compiled.warnings:
        raise RuntimeError(f"the generation core did not compile cleanly:\n{compiled.output}")
    test_sources = sorted((_package_dir(module, "test", package) / "generation").glob("*.kt"))
    compiled_tests = toolchain.kotlinc(kotlin, test_sources, classpath=[main, *junit], out=tests,
                                       extra=[f"-Xfriend-paths={main}"])
    if compiled_tests.returncode != 0 or compiled_tests.warnings:
        raise RuntimeError(f"the generation tests did not compile cleanly:\n{compiled_tests.output}")
    return Built(package, main, tests, module, (kotlin.stdlib_jar, *junit))


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
