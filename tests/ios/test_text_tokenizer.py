"""The Swift tokenizer (``templates/features/text/ios``) with the real Swift toolchain (Linux):
every text golden case of every fixture tokenizer, a Swift 6 type-check beside the Core target,
and a mutation control (one changed tokenizer rule makes the golden tests fail)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tooling import require_tool

from ios import fixtures, swifttools
from ios.text_package import TEXT_IOS_TEMPLATES, render_text_package, tokenizer_sources
from sdkgen.codegen.render import render_tree
from sdkgen.tokenizers.fixtures import write_fixtures

GOLDEN_FORMAT = "sdkgen-golden-text"
_SUMMARY = re.compile(r"^\[golden-text\] (\S+) (encode|decode|stream): (\d+)/(\d+) cases identical$",
                      re.MULTILINE)
_TEST_METHOD = re.compile(r"^\s*func (test\w+)\(\)", re.MULTILINE)


@dataclass(frozen=True)
class TextPackage:
    root: Path
    golden: dict[str, dict]  # golden file name -> document
    build: swifttools.Run
    test: swifttools.Run | None


def _golden_documents(directory: Path) -> dict[str, dict]:
    documents = {}
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") == GOLDEN_FORMAT:
            documents[path.name] = document
    return documents


@pytest.fixture(scope="session")
def text_golden_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture tokenizer and its golden text file, written by the Python reference."""
    directory = tmp_path_factory.mktemp("text-golden")
    write_fixtures(directory)
    return directory


def _build_and_test(root: Path, scratch: Path, golden_dir: Path) -> TextPackage:
    build = swifttools.swift_build(root, scratch)
    test = swifttools.swift_test(root, scratch) if build.returncode == 0 else None
    return TextPackage(root, _golden_documents(golden_dir), build, test)


@pytest.fixture(scope="session")
def text_package(text_golden_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> TextPackage:
    require_tool("swift", "the Swift tokenizer is built and tested with SwiftPM")
    work = tmp_path_factory.mktemp("text-swift")
    root = render_text_package(fixtures.digits_sdk(), sorted(text_golden_dir.glob("*.json")),
                               work / "package")
    return _build_and_test(root, work / "swiftpm", text_golden_dir)


def _summaries(output: str) -> dict[tuple[str, str], tuple[int, int]]:
    return {(name, kind): (int(passed), int(total))
            for name, kind, passed, total in _SUMMARY.findall(output)}


def _test_methods(root: Path) -> list[str]:
    sources = sorted((root / "Tests").rglob("*.swift"))
    return [name for source in sources for name in _TEST_METHOD.findall(source.read_text("utf-8"))]


def test_every_text_golden_case_is_identical_in_swift(text_package: TextPackage):
    assert text_package.build.returncode == 0, text_package.build.describe()
    assert text_package.test is not None
    summary = swifttools.xctest_summary(text_package.test.output)
    assert summary is not None, text_package.test.describe()
    assert text_package.test.returncode == 0 and summary.passed, text_package.test.describe()
    methods = _test_methods(text_package.root)
    assert summary.executed == len(methods) and summary.failures == 0
    for method in methods:
        assert f"{method}' passed" in text_package.test.output, method

    found = _summaries(text_package.test.output)
    assert text_package.golden, "the Python reference wrote no golden text files"
    print(f"\nswift build {text_package.build.seconds:.1f} s, swift test "
          f"{text_package.test.seconds:.1f} s: {summary.executed} XCTest methods passed")
    for name, document in text_package.golden.items():
        cases, streams = len(document["cases"]), len(document["stream_cases"])
        assert cases >= 300, f"{name}: only {cases} encode cases"
        # Every case of every file was checked and is identical (XCTest counts, not ours).
        assert found[(name, "encode")] == (cases, cases), name
        assert found[(name, "decode")] == (cases, cases), name
        assert found[(name, "stream")] == (streams, streams), name
        print(f"  {name}: {cases} encode cases (ids, mask, type ids) and decodes, "
              f"{streams} stream cases: identical")
    assert {name for name, _ in found} == set(text_package.golden)


def test_tokenizer_typechecks_beside_the_core_target_in_swift6(tmp_path: Path):
    """The tokenizer files compile inside a real generated Core target (no name clashes), in the
    Swift 6 language mode with warnings as errors."""
    require_tool("swiftc", "the tokenizer is type-checked with swiftc")
    sdk = fixtures.hostile_sdk()
    root = fixtures.render_ios_tree(sdk, tmp_path / "tree")
    render_tree(TEXT_IOS_TEMPLATES, sdk, root)
    core = root / "Sources" / f"{sdk.type_name}Core"
    sources = sorted(core.rglob("*.swift"))
    tokenizer = tokenizer_sources(root, sdk)
    assert sum(1 for source in sources if source.parent == tokenizer) >= 10
    checked = swifttools.typecheck(f"{sdk.type_name}Core", sources, tmp_path, root)
    assert checked.returncode == 0 and not checked.output.strip(), checked.describe()


def test_golden_tests_fail_when_a_tokenizer_rule_changes(text_golden_dir: Path, tmp_path: Path):
    """Mutation control: the GPT-2 split regex without its `'ll` contraction changes the ids of the
    byte-level BPE fixtures, and the golden tests say which cases."""
    require_tool("swift", "the Swift tokenizer is built and tested with SwiftPM")
    sdk = fixtures.digits_sdk()
    root = render_text_package(sdk, sorted(text_golden_dir.glob("*.json")), tmp_path / "package")
    regex = tokenizer_sources(root, sdk) / "SplitRegex.swift"
    rule = "if i + 2 < s.endIndex, lower(s[i + 2]) == 0x6C { return i + 3 }"
    text = regex.read_text(encoding="utf-8")
    assert text.count(rule) == 1
    regex.write_text(text.replace(rule, rule.replace("return i + 3", "return i")), encoding="utf-8")
    mutated = _build_and_test(root, tmp_path / "swiftpm", text_golden_dir)
    assert mutated.build.returncode == 0, mutated.build.describe()
    assert mutated.test is not None
    summary = swifttools.xctest_summary(mutated.test.output)
    assert mutated.test.returncode != 0 and summary is not None and not summary.passed, (
        mutated.test.describe())
    found = _summaries(mutated.test.output)
    broken = {name: found[(name, "encode")] for name in mutated.golden
              if found[(name, "encode")][0] < found[(name, "encode")][1]}
    print(f"\nmutation ('ll contraction removed): {summary.failures} XCTest failures; "
          f"encode cases still identical: {broken}")
    assert any("bpe" in name for name in broken), broken
    assert "testEncodeCasesOfEveryGoldenFile' failed" in mutated.test.output
    assert re.search(r"bpe-\S+\.json c\d+ ids: first difference at \d+", mutated.test.output)
