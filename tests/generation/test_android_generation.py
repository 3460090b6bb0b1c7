"""The text-generation Android tree compiles: library (strict explicit API), tests, sample app.

The tree is what a build renders — the platform templates, the text feature (tokenizer) and the
text_generation overlay — from a hand-built context with a hostile name, chat template and stop
strings; it is compiled with the real Kotlin compiler against the stand-ins of the ExecuTorch,
Android, AndroidX, Compose and kotlinx.coroutines APIs it calls (``tests/android/standins``), with
no warnings. The sample's R class comes from aapt2.
"""

from __future__ import annotations

from pathlib import Path

from android import toolchain
from android.conftest import aapt2_link, require_aapt2, require_kotlin

from generation.android_build import AndroidBuild


def test_library_compiles_without_warnings(android_generation: AndroidBuild) -> None:
    library = android_generation
    compiled = library.library_compilation
    print(f"kotlinc library: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []
    classes = {p.stem for p in library.library.rglob("*.class")}
    name = library.tree.sdk.type_name  # type: ignore[union-attr]
    assert {f"{name}LanguageModel", f"{name}Session", "ExecuTorchLanguageModel", "Sampler", "TokenGenerator"} <= classes


def test_unit_and_instrumented_tests_compile(android_generation: AndroidBuild) -> None:
    compiled = android_generation.tests_compilation
    assert compiled is not None, "the library did not compile"
    print(f"kotlinc tests: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []


def test_chat_sample_compiles(android_generation: AndroidBuild, tmp_path: Path) -> None:
    library = android_generation
    assert library.library_compilation.returncode == 0, "the library did not compile"
    framework = require_aapt2()
    tree = library.tree
    linked = aapt2_link(tree, tree.sample, tmp_path / "r", framework)
    assert linked.returncode == 0, linked.stderr
    r_classes = tmp_path / "r-classes"
    javac = toolchain.javac(sorted((tmp_path / "r" / "java").rglob("R.java")), classpath=[], out=r_classes)
    assert javac.returncode == 0, javac.stderr
    compiled = toolchain.kotlinc(require_kotlin(), tree.kotlin_sources(tree.sample, "main"),
                                 classpath=[library.library, library.standins, r_classes], out=tmp_path / "sample")
    print(f"kotlinc sample: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []
