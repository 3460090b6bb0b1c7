"""The generated Android SDKs of text models: the tokenizer's own golden cases pass on the JVM."""

from __future__ import annotations

import re

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

