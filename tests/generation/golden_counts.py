"""JUnit and XCTest counts of a built text-generation tree's golden tests, and a mutation that
must make them fail (a measurement, run by hand: it compiles whole trees, minutes on 2 cores).

``PYTHONPATH=.:tests python -m generation.golden_counts BUILD_DEFINITION BUILD_DIR WORK`` reads a
build (``sdkgen build`` of ``BUILD_DEFINITION`` into ``BUILD_DIR``: its ``android/`` tree and
``golden/``), adds the hand-built chat-template golden files, then:

1. compiles the Android tree (library in strict explicit-API mode, tests) against the stand-ins and
   runs JUnit's ``GenerationGoldenTest`` (one test per chat, sampler, exp, stop, stream and greedy
   case), ``TokenGeneratorTest`` and ``TokenizerGoldenTest`` (one test per text case);
2. renders the iOS templates for the same plan and runs ``swift test`` on its ``<Name>Core``
   package (tokenizer and generation golden tests; cases checked per kind are printed by them);
3. breaks top-p in both samplers (one token too many kept in the nucleus) and runs the same tests.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

from android import toolchain
from android.conftest import Tree, compile_standins
from ios import swifttools

from generation import android_build, kotlin_build, swift_package
from generation.contexts import write_golden_folder

KOTLIN_TOP_P = ("if (cumulative >= options.topP) return j + 1",
                "if (cumulative >= options.topP) return minOf(j + 2, keep)")
SWIFT_TOP_P = ("order.removeSubrange((index + 1)...)\n                    weights.removeSubrange((index + 1)...)",
               "order.removeSubrange(min(index + 2, order.count)...)\n"
               "                    weights.removeSubrange(min(index + 2, weights.count)...)")
JUNIT_CLASSES = ("generation.GenerationGoldenTest", "generation.TokenGeneratorTest",
                 "tokenizer.TokenizerGoldenTest")


def _patch(root: Path, file_name: str, original: str, mutated: str) -> None:
    [source] = list(root.rglob(file_name))
    text = source.read_text(encoding="utf-8")
    if text.count(original) != 1:
        raise SystemExit(f"{original!r} not found once in {source}")
    source.write_text(text.replace(original, mutated), encoding="utf-8")


def _failed_kinds(output: str) -> dict[str, int]:
    """Failed JUnit tests per case kind: ``1) matchesTheReference[model.json sampler sampler0010](…)``."""
    kinds: dict[str, int] = {}
    for kind in re.findall(r"^\d+\) \w+\[\S+ (\w+)", output, re.MULTILINE):
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def _junit(tree: Tree, resources: Path, work: Path, label: str) -> None:
    kotlin, junit = toolchain.find_kotlin(), toolchain.junit_classpath()
    assert kotlin is not None and junit is not None, "kotlinc and JUnit 4 are needed"
    started = time.perf_counter()
    standins = work / "standins"
    compile_standins(kotlin, junit, standins)
    built = android_build.build(tree, work, kotlin, junit, standins)
    assert built.tests_compilation is not None and built.tests_compilation.returncode == 0, (
        built.library_compilation.output[-3000:])
    print(f"[{label}] kotlinc library + tests: {time.perf_counter() - started:.0f} s")
    for test_class in JUNIT_CLASSES:
        run = kotlin_build.run_junit(built.junit_build(), resources, test_class)
        print(f"[{label}] JUnit {test_class}: {run.passed} passed, {run.failed} failed"
              + (f"; failed per case kind {_failed_kinds(run.output)}" if run.failed else ""))


def _swift(ios: Path, sdk: object, golden: Path, work: Path, label: str,
           patch: tuple[str, str] | None = None) -> None:
    package = swift_package.make_package(ios, sdk, golden, work / "package")  # type: ignore[arg-type]
    if patch is not None:
        _patch(package, "Sampler.swift", *patch)
    built = swifttools.swift_build(package, work / "scratch")
    assert built.returncode == 0, built.describe()[-3000:]
    tested = swifttools.swift_test(package, work / "scratch")
    summary = swifttools.xctest_summary(tested.output)
    checked = dict((kind, int(n)) for n, kind in re.findall(r"generation golden: (\d+) (\w+) cases",
                                                           tested.output))
    text = re.findall(r"^\[golden-text\] (\S+) (encode|decode|stream): (\d+)/(\d+) cases identical$",
                      tested.output, re.MULTILINE)
    failed = re.findall(r"Test Case '(\S+)' failed", tested.output)
    print(f"[{label}] swift build {built.seconds:.0f} s, swift test {tested.seconds:.0f} s: {summary}")
    print(f"[{label}] XCTest generation cases checked per kind: {checked}")
    print(f"[{label}] XCTest tokenizer cases identical: "
          f"{[(kind, f'{a}/{b}') for _, kind, a, b in text]}")
    print(f"[{label}] XCTest failed methods: {failed}")


def main(definition: Path, build: Path, work: Path) -> None:
    from sdkgen.codegen.platforms import render_platform
    from sdkgen.llm.plan import make_generation_plan
    from sdkgen.llm.sdk_context import generation_sdk_context
    from sdkgen.spec import load_spec
    from sdkgen.version import tool_versions

    sdk = generation_sdk_context(make_generation_plan(load_spec(definition)), tool_versions())
    shutil.rmtree(work, ignore_errors=True)
    resources = work / "resources"
    shutil.copytree(build / "golden", resources / "golden")
    hand_built = work / "hand-built"
    counts = write_golden_folder(hand_built)
    for path in sorted(hand_built.glob("template-*.json")):
        shutil.copyfile(path, resources / "golden" / "generation" / path.name)
    print(f"hand-built golden files: cases per kind {counts} (plus the build's model.json)")

    tree = Tree(name="text_generation", root=build / "android", sdk=sdk)
    _junit(tree, resources, work / "android", "as built")
    mutated_root = work / "android-mutated" / "android"
    shutil.copytree(build / "android", mutated_root)
    _patch(mutated_root, "Sampler.kt", *KOTLIN_TOP_P)
    _junit(Tree(name="text_generation", root=mutated_root, sdk=sdk), resources,
           work / "android-mutated" / "classes", "top-p mutated")

    ios = work / "ios"
    render_platform("ios", sdk, ios)
    _swift(ios, sdk, resources / "golden", work / "swift", "as built")
    _swift(ios, sdk, resources / "golden", work / "swift-mutated", "top-p mutated", SWIFT_TOP_P)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
