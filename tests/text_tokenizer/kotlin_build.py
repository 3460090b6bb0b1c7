"""Render, compile and run the Kotlin tokenizer templates and their JUnit golden test.

Shared by the golden test, the mutation check and the benchmark: the templates under
``templates/features/text/android`` are rendered with a hand-built SDK context, compiled with the
real Kotlin compiler (the library in strict explicit-API mode), and JUnit runs over a folder of
golden text files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from android import toolchain
from android.fixtures import fixtures

from sdkgen.codegen.render import render_tree

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "features" / "text" / "android"
_JUNIT_OK = re.compile(r"^OK \((\d+) tests?\)$", re.MULTILINE)
_JUNIT_FAILED = re.compile(r"^Tests run: (\d+),  Failures: (\d+)$", re.MULTILINE)


@dataclass(frozen=True)
class Built:
    package: str
    main: Path  # compiled library classes
    tests: Path  # compiled test classes
    sources: Path  # the rendered module (src/main, src/test)
    classpath: tuple[Path, ...]  # kotlin stdlib and JUnit


@dataclass(frozen=True)
class JUnitRun:
    passed: int
    failed: int
    output: str


def render(out: Path) -> tuple[Path, str]:
    """Render the text feature's Android templates; returns the module folder and the package."""
    sdk = fixtures()["digits"].sdk
    render_tree(TEMPLATES, sdk, out)
    return out / sdk.android.module_name, sdk.android.package


def compile_module(module: Path, package: str, work: Path,
                   patch: Callable[[Path], None] | None = None) -> Built:
    """Compile the rendered library (explicit API, no warnings) and its tests."""
    kotlin = toolchain.find_kotlin()
    junit = toolchain.junit_classpath()
    if kotlin is None or junit is None:
        raise RuntimeError("the Kotlin compiler or JUnit 4 is missing")
    if patch is not None:
        patch(module)
    main, tests = work / "main", work / "tests"
    compiled = toolchain.kotlinc(kotlin, sorted((module / "src/main").rglob("*.kt")), classpath=[],
                                 out=main, extra=["-Xexplicit-api=strict"])
    if compiled.returncode != 0 or compiled.warnings:
        raise RuntimeError(f"the tokenizer did not compile cleanly:\n{compiled.output}")
    compiled_tests = toolchain.kotlinc(kotlin, sorted((module / "src/test").rglob("*.kt")),
                                       classpath=[main, *junit], out=tests,
                                       extra=[f"-Xfriend-paths={main}"])
    if compiled_tests.returncode != 0:
        raise RuntimeError(f"the golden test did not compile:\n{compiled_tests.output}")
    return Built(package=package, main=main, tests=tests, sources=module,
                 classpath=(kotlin.stdlib_jar, *junit))


def run_junit(built: Built, resources: Path) -> JUnitRun:
    """Run the golden test with ``resources`` (holding ``golden/text/``) on the classpath."""
    result = toolchain.java("org.junit.runner.JUnitCore", [f"{built.package}.tokenizer.TokenizerGoldenTest"],
                            classpath=[built.main, built.tests, *built.classpath, resources])
    ok = _JUNIT_OK.search(result.stdout)
    if ok:
        return JUnitRun(passed=int(ok.group(1)), failed=0, output=result.stdout + result.stderr)
    failed = _JUNIT_FAILED.search(result.stdout)
    if failed:
        run, failures = int(failed.group(1)), int(failed.group(2))
        return JUnitRun(passed=run - failures, failed=failures, output=result.stdout + result.stderr)
    raise RuntimeError(f"JUnit did not run:\n{result.stdout}\n{result.stderr}")


def golden_resources(golden: Path, names: Sequence[str], out: Path) -> Path:
    """A resources folder whose ``golden/text/`` holds only the named fixtures' files."""
    target = out / "golden" / "text"
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        for suffix in (".json", ".tokenizer.json"):
            (target / f"{name}{suffix}").write_bytes((golden / f"{name}{suffix}").read_bytes())
    return out
