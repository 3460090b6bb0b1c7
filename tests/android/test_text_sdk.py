"""The generated Android SDKs of text models: the tokenizer's own golden cases pass on the JVM, and
the embedding golden tests catch a wrong pooling."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from android import toolchain
from android.conftest import TEXT_TREES, Compiled, Tree, require_junit, require_kotlin, tree_or_skip

_JUNIT_OK = re.compile(r"^OK \((\d+) tests?\)$", re.MULTILINE)


@pytest.mark.parametrize("name", TEXT_TREES)
def test_generated_tokenizer_passes_every_text_case(
    compiled: Compiled, android_trees: dict[str, Tree], name: str
) -> None:
    import json

    tree = tree_or_skip(android_trees, name)
    kotlin = require_kotlin()
    junit = require_junit()
    resources = tree.library / "src/test/resources"
    documents = [json.loads(p.read_text(encoding="utf-8"))
                 for p in sorted((resources / "golden" / "text").glob("*.json"))]
    cases = sum(len(d["cases"]) + len(d["stream_cases"]) for d in documents
                if d.get("format") == "sdkgen-golden-text")
    result = toolchain.java(
        "org.junit.runner.JUnitCore", [f"{tree.package}.tokenizer.TokenizerGoldenTest"],
        classpath=[compiled.library, compiled.tests, kotlin.stdlib_jar, *junit, resources])
    summary = _JUNIT_OK.search(result.stdout)
    print(f"{name}: TokenizerGoldenTest {summary.group(0) if summary else 'FAILED'} ({cases} cases)")
    assert summary is not None, result.stdout[-3000:]
    assert int(summary.group(1)) == cases >= 300


def test_embedding_golden_tests_catch_a_wrong_pooling(
    compiled: Compiled, android_trees: dict[str, Tree], tmp_path: Path
) -> None:
    """Mean pooling over the padding too (the mask ignored): the embedding tests fail."""
    kotlin = require_kotlin()
    junit = require_junit()
    tree = tree_or_skip(android_trees, "text_encoder")
    library = tmp_path / "library"
    shutil.copytree(tree.library / "src", library)
    source = next(library.rglob("Embeddings.kt"))
    text = source.read_text(encoding="utf-8")
    assert "val weight = mask[token].toDouble()" in text
    source.write_text(text.replace("val weight = mask[token].toDouble()", "val weight = 1.0"),
                      encoding="utf-8")
    main = toolchain.kotlinc(kotlin, sorted((library / "main").rglob("*.kt")),
                             classpath=[compiled.standins], out=tmp_path / "main")
    assert main.returncode == 0, main.output
    test_sources = sorted((tree.golden_module / "src/main").rglob("*.kt")) + sorted(
        p for p in (library / "test").rglob("*.kt") if p.name != "TokenizerGoldenTest.kt")
    tests = toolchain.kotlinc(kotlin, test_sources, classpath=[tmp_path / "main", *junit],
                              out=tmp_path / "tests", extra=[f"-Xfriend-paths={tmp_path / 'main'}"])
    assert tests.returncode == 0, tests.output
    result = toolchain.java(
        "org.junit.runner.JUnitCore", [f"{tree.package}.{tree.type_name}GoldenTest"],
        classpath=[tmp_path / "main", tmp_path / "tests", kotlin.stdlib_jar, *junit,
                   library / "main/resources", library / "test/resources"])
    failed = set(re.findall(r"^\d+\) (\w+)\(", result.stdout, re.MULTILINE))
    assert "decodeEmbeddingMatchesGolden" in failed, result.stdout[-3000:]
    assert "tokenizeTextFromTheRawTextMatchesGolden" not in failed
