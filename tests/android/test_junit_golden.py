"""The generated JUnit 4 tests pass on the JVM against the golden vectors, and labels round-trip."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from android import toolchain
from android.conftest import (
    EXAMPLES,
    FIXTURES,
    HOSTILE_SPEC,
    TEXT_TREES,
    Compiled,
    Tree,
    label_dumper_class,
    require_junit,
    require_kotlin,
    tree_or_skip,
)
from android.fixtures import HOSTILE_SPEC_LABELS


@pytest.mark.parametrize("name", [*FIXTURES, *TEXT_TREES, *EXAMPLES])
def test_generated_junit_tests_pass_on_golden_vectors(
    compiled: Compiled, android_trees: dict[str, Tree], name: str
) -> None:
    tree = tree_or_skip(android_trees, name)
    kotlin = require_kotlin()
    junit = require_junit()
    test_class = f"{tree.package}.{tree.type_name}GoldenTest"
    start = time.monotonic()
    result = toolchain.java(
        "org.junit.runner.JUnitCore", [test_class],
        # as Gradle's unit-test classpath: main resources (large label sets) and test resources
        classpath=[compiled.library, compiled.tests, kotlin.stdlib_jar, *junit,
                   tree.library / "src/main/resources", tree.library / "src/test/resources"],
    )
    seconds = time.monotonic() - start
    summary = re.search(r"^OK \((\d+) tests?\)$", result.stdout, re.MULTILINE)
    print(f"JUnit {test_class}: {summary.group(0) if summary else 'FAILED'} in {seconds:.1f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary is not None, result.stdout
    assert int(summary.group(1)) == tree.expected_junit_tests


@pytest.mark.parametrize("name", FIXTURES)
def test_labels_round_trip_through_compiled_kotlin(
    compiled: Compiled, android_trees: dict[str, Tree], name: str
) -> None:
    tree = android_trees[name]
    assert tree.sdk is not None
    kotlin = require_kotlin()
    result = toolchain.java(label_dumper_class(tree), [],
                            classpath=[compiled.library, compiled.tests, kotlin.stdlib_jar,
                                       tree.library / "src/main/resources"])
    assert result.returncode == 0, result.stderr
    expected = [
        " ".join(f"{unit:x}" for unit in _utf16_units(label))
        for output in tree.sdk.outputs if output.classification is not None
        for label in output.classification.labels
    ]
    assert result.stdout.split("\n")[:-1] == expected


def _utf16_units(text: str) -> list[int]:
    encoded = text.encode("utf-16-be")
    return [int.from_bytes(encoded[i:i + 2], "big") for i in range(0, len(encoded), 2)]


MUTATIONS = {
    "processing": {
        # a luma weight off by 1e-4 and ties broken toward the higher index
        "ImagePreprocessing.kt": ("GRAY_RED: Double = 0.299", "GRAY_RED: Double = 0.2991"),
        "Postprocessing.kt": ("else -> first.compareTo(second)", "else -> second.compareTo(first)"),
    },
    "resize": {
        # the area average truncated instead of rounded half up
        "ImageResize.kt": ("((2L * sums[channel] + total) / (2L * total))",
                           "((2L * sums[channel]) / (2L * total))"),
    },
}
EXPECTED_FAILURES = {
    "processing": {"preprocessImageFromTheRawPhotoMatchesGolden",
                   "preprocessImageTurnsARotatedPhotoUpright", "decodeLogitsMatchesGolden",
                   "topKPutsEqualProbabilitiesInIndexOrder"},
    "resize": {"preprocessImageFromTheRawPhotoMatchesGolden",
               "preprocessImageTurnsARotatedPhotoUpright"},
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_golden_tests_catch_a_wrong_implementation(
    compiled: Compiled, android_trees: dict[str, Tree], tmp_path: Path, mutation: str
) -> None:
    """The generated JUnit tests fail when pre- or post-processing drifts from the reference."""
    kotlin = require_kotlin()
    junit = require_junit()
    tree = android_trees["digits_fixture"]
    library = tmp_path / "library"
    shutil.copytree(tree.library / "src", library)
    for file_name, (original, mutated) in MUTATIONS[mutation].items():
        source = next(library.rglob(file_name))
        text = source.read_text(encoding="utf-8")
        assert original in text
        source.write_text(text.replace(original, mutated), encoding="utf-8")
    main = toolchain.kotlinc(kotlin, sorted((library / "main").rglob("*.kt")),
                             classpath=[compiled.standins], out=tmp_path / "main")
    assert main.returncode == 0, main.output
    tests = toolchain.kotlinc(
        kotlin, sorted((tree.golden_module / "src/main").rglob("*.kt")) + sorted((library / "test").rglob("*.kt")),
        classpath=[tmp_path / "main", compiled.standins, *junit], out=tmp_path / "tests",
        extra=[f"-Xfriend-paths={tmp_path / 'main'}"])
    assert tests.returncode == 0, tests.output
    result = toolchain.java(
        "org.junit.runner.JUnitCore", [f"{tree.package}.{tree.type_name}GoldenTest"],
        classpath=[tmp_path / "main", tmp_path / "tests", kotlin.stdlib_jar, *junit,
                   library / "test/resources"])
    assert result.returncode != 0
    failed = set(re.findall(r"^\d+\) (\w+)\(", result.stdout, re.MULTILINE))
    assert failed == EXPECTED_FAILURES[mutation], result.stdout
    # the failure names the golden case, the tensor and the difference (what a CI log shows)
    assert re.search(r"AssertionError: case_\d+: image: element \d+ differs by \S+ "
                     r"\(expected \S+, got \S+; tolerance \S+\)", result.stdout), result.stdout


def test_hostile_definition_labels_reach_the_golden_manifest(android_trees: dict[str, Tree]) -> None:
    """With the JUnit label check above, this closes the loop: labels file → manifest → Kotlin."""
    tree = tree_or_skip(android_trees, HOSTILE_SPEC)
    labels = tree.manifest["outputs"][0]["classification"]["labels"]
    assert labels == list(HOSTILE_SPEC_LABELS)
    assert tree.type_name == "ObjectModel"
