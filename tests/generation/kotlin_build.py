"""Run the JUnit tests of a compiled text-generation tree over a golden folder.

:mod:`generation.android_build` compiles a built text-generation tree (the text feature's
tokenizer and the text-generation overlay included), and JUnit runs the generation and tokenizer
tests from those classes with a golden folder on the classpath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from android import toolchain

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


def run_junit(built: Built, resources: Path, test_class: str) -> JUnitRun:
    """Run ``test_class`` with ``resources`` (holding ``golden/``) on the classpath."""
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
