"""Hypothesis-generated hostile strings through every escaping filter, compiled for real.

Each example is a batch of arbitrary Unicode strings. They become Kotlin and Swift string
literals, KDoc/DocC comment text and identifiers exactly as the templates use them; the batch is
compiled with the real Kotlin compiler and the real Swift compiler, run, and each string's UTF-8
bytes must come back unchanged. The same strings round-trip through golden manifests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tooling import require_tool

from sdkgen.codegen import naming
from sdkgen.codegen.context import ClassificationContext, OutputContext
from sdkgen.golden import GoldenCase, write_golden

SEEDS = ['say "hi"', "back\\slash", "$money ${x} $", "\\(x)", "*/ end /* start", '#tag "# #"',
         "line\nbreak\r\ttab", "Ünïcødé 日本 😀", "", "\0nul", "\u2028sep", "\ud7ff\ue000\U0010ffff"]
batches = st.lists(st.text(max_size=24), min_size=40, max_size=40).map(lambda b: SEEDS + b)
BATCH_SETTINGS = settings(max_examples=3, deadline=None, phases=[Phase.generate],
                          suppress_health_check=list(HealthCheck))


def _hex(text: str) -> str:
    return text.encode("utf-8").hex()


def _kotlin_source(batch: list[str]) -> str:
    lines = ["package hostile", ""]
    for index, text in enumerate(batch):
        lines += [
            f"/** {naming.comment_text(text)} */",
            f"object Holder{index} {{",
            f"    /** {naming.comment_text(text)} */",
            f"    class {naming.type_name(text)}",
            f"    val {naming.member_name(text)}: Int = {index}",
            "}",
        ]
    literals = ",\n    ".join(naming.kotlin_string(t) for t in batch)
    lines += [
        "", f"val values: List<String> = listOf(\n    {literals},\n)", "",
        "fun main() {",
        "    for (value in values) {",
        '        println(value.toByteArray(Charsets.UTF_8).joinToString("") { "%02x".format(it) })',
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _swift_source(batch: list[str]) -> str:
    lines = []
    for index, text in enumerate(batch):
        lines += [
            f"/// {naming.comment_text(text)}",
            f"enum Holder{index} {{",
            f"    /** {naming.comment_text(text)} */",
            f"    struct {naming.type_name(text)} {{}}",
            f"    static let {naming.member_name(text)}: Int = {index}",
            "}",
        ]
    literals = ",\n    ".join(naming.swift_string(t) for t in batch)
    lines += [
        f"let values: [String] = [\n    {literals},\n]",
        "for value in values {",
        '    print(value.utf8.map { String(format: "%02x", $0) }.joined())',
        "}",
    ]
    return "import Foundation\n" + "\n".join(lines) + "\n"


def _kotlin_round_trip(batch: list[str], work: Path) -> list[str]:
    from android import toolchain

    kotlin = toolchain.find_kotlin()
    assert kotlin is not None
    source = work / "Hostile.kt"
    source.write_text(_kotlin_source(batch), encoding="utf-8")
    compiled = toolchain.kotlinc(kotlin, [source], classpath=[], out=work / "classes")
    assert compiled.returncode == 0 and not compiled.errors, compiled.output
    assert not compiled.warnings, compiled.output
    run = toolchain.java("hostile.HostileKt", [], classpath=[work / "classes", kotlin.stdlib_jar])
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def _swift_round_trip(batch: list[str], work: Path) -> list[str]:
    source = work / "main.swift"
    source.write_text(_swift_source(batch), encoding="utf-8")
    compiled = subprocess.run(["swiftc", "-swift-version", "6", "-o", str(work / "hostile"), str(source)],
                              capture_output=True, text=True, check=False)
    assert compiled.returncode == 0, compiled.stderr
    assert "warning:" not in compiled.stderr, compiled.stderr
    run = subprocess.run([str(work / "hostile")], capture_output=True, text=True, check=True)
    return run.stdout.splitlines()


def _kotlin_available() -> None:
    from android import toolchain

    if toolchain.find_kotlin() is None:
        require_tool("kotlin-compiler-in-kotlin-jupyter-kernel", "install the dev extras (scripts/setup.sh)")


@BATCH_SETTINGS
@given(batch=batches)
def test_kotlin_literals_comments_and_identifiers_compile_and_round_trip(batch: list[str], tmp_path_factory) -> None:
    require_tool("java", "the Kotlin compiler runs on a JDK")
    _kotlin_available()
    work = tmp_path_factory.mktemp("kotlin-hostile")
    assert _kotlin_round_trip(batch, work) == [_hex(t) for t in batch]


@BATCH_SETTINGS
@given(batch=batches)
def test_swift_literals_comments_and_identifiers_compile_and_round_trip(batch: list[str], tmp_path_factory) -> None:
    require_tool("swiftc", "the Swift toolchain checks generated Swift")
    work = tmp_path_factory.mktemp("swift-hostile")
    assert _swift_round_trip(batch, work) == [_hex(t) for t in batch]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(labels=st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=6, unique=True))
def test_labels_round_trip_through_golden_manifests(labels: list[str], tmp_path_factory) -> None:
    from ios.fixtures import make_sdk

    sdk = make_sdk(
        "Hostile", "tensor", (), (OutputContext(
            name="scores", identifier="scores", feature_name="scores", kind="classification",
            shape=(1, len(labels)), dtype="float32",
            classification=ClassificationContext(labels=tuple(labels), softmax=True, top_k=len(labels)),
        ),),
        cases=1,
    )
    directory = tmp_path_factory.mktemp("golden")
    logits = np.arange(len(labels), dtype=np.float32)[None, :]
    write_golden(directory, sdk, [GoldenCase("case_0", "hostile", {}, {}, {"scores": logits})])
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"][0]["classification"]["labels"] == labels
    decoded = manifest["cases"][0]["outputs"]["scores"]["decoded"]
    assert [d["label"] for d in decoded] == labels[::-1]


def test_swift_toolchain_present_or_skipped() -> None:
    require_tool("swiftc", "the Swift toolchain checks generated Swift")
    assert shutil.which("swiftc")
