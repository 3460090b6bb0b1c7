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
         "line\nbreak\r\ttab", "Ünïcødé 日本 😀", "", "\0nul", "\u2028sep", "\ud7ff\ue000\U0010ffff",
         "\ufdd0 \ufdeb\ufdef\ufffe\U0010ffff"]  # noncharacters: Swift refuses \u{FDD0}-\u{FDEF}
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


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_pbxproj_xml_and_json_literals_round_trip(text: str) -> None:
    import xml.etree.ElementTree as ElementTree

    import openstep_plist

    parsed = openstep_plist.loads("{ key = " + naming.pbxproj_string(text) + "; }")
    assert parsed["key"] == text
    representable = "".join(c if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff") else "\ufffd"
                            for c in text)
    element = ElementTree.fromstring(f'<a b="{naming.xml_text(text)}">{naming.xml_text(text)}</a>')
    assert element.get("b") == representable
    assert (element.text or "") == representable
    assert json.loads(naming.json_string(text)) == text


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_generated_text_on_a_terminal_is_one_line_of_printable_characters(text: str) -> None:
    import unicodedata

    shown = naming.terminal_text(text)
    assert not any(unicodedata.category(c).startswith("C") for c in shown)  # no ESC, CR, bidi …
    # nothing lost: Python's own escape decoding gives the text back
    assert shown.encode("ascii", "backslashreplace").decode("unicode_escape") == text


def _aapt2_values(strings: list[str], work: Path) -> list[str]:
    """Compile ``strings`` as <string> resources with aapt2 and read back what it decoded."""
    framework = Path("/usr/share/android-framework-res/framework-res.apk")
    values = work / "res" / "values"
    values.mkdir(parents=True)
    body = "\n".join(
        f'    <string name="s{i}">{naming.android_string_resource(f"<<{i}>>{text}<</{i}>>")}</string>'
        for i, text in enumerate(strings)
    )
    (values / "strings.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n{body}\n</resources>\n', encoding="utf-8"
    )
    (work / "AndroidManifest.xml").write_text(
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="io.sdkgen.hostile"/>\n'
    )
    for command in (
        ["aapt2", "compile", "--dir", str(work / "res"), "-o", str(work / "compiled.zip")],
        ["aapt2", "link", "-I", str(framework), "--manifest", str(work / "AndroidManifest.xml"),
         "-o", str(work / "out.apk"), str(work / "compiled.zip")],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
    raw = subprocess.run(["aapt2", "dump", "resources", str(work / "out.apk")],
                         capture_output=True, check=True).stdout
    # the string pool keeps characters beyond U+FFFF as UTF-16 surrogate pairs (CESU-8), as
    # Android's runtime reads them: join the pairs back into code points
    dump = raw.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass").decode("utf-16")
    import re

    # the dump indents every continuation line of a value by six spaces
    return [re.search(rf"<<{i}>>(.*?)<</{i}>>", dump, re.DOTALL).group(1).replace("\n      ", "\n")
            for i in range(len(strings))]


@settings(max_examples=3, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@given(batch=st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=24),
                      min_size=30, max_size=30))
def test_android_string_resources_round_trip_through_aapt2(batch: list[str], tmp_path_factory) -> None:
    require_tool("aapt2", "aapt2 links the generated Android resources")
    strings = [*batch, "a  b", "'q' \"dq\" \\ @x ?y <&>", "@string/app_name", "?attr/x", "tab\there", "nl\nhere"]
    assert _aapt2_values(strings, tmp_path_factory.mktemp("aapt2")) == strings
