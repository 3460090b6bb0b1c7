"""The text-generation Android tree compiles: library (strict explicit API), tests, sample app.

The tree is what a build renders — the platform templates, the text feature (tokenizer) and the
text_generation overlay — from a hand-built context with a hostile name, chat template and stop
strings; it is compiled with the real Kotlin compiler against the stand-ins of the ExecuTorch,
Android, AndroidX, Compose and kotlinx.coroutines APIs it calls (``tests/android/standins``), with
no warnings. The sample's R class comes from aapt2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from android import toolchain
from android.conftest import (
    Tree,
    _compile_standins,
    aapt2_link,
    require_aapt2,
    require_junit,
    require_kotlin,
)

from generation import kotlin_build
from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.platforms import render_platform


@dataclass(frozen=True)
class Library:
    tree: Tree
    standins: Path
    classes: Path
    compilation: toolchain.Compilation


@pytest.fixture(scope="module")
def library(text_generation_sdk: SdkContext, tmp_path_factory: pytest.TempPathFactory) -> Library:
    kotlin = require_kotlin()
    junit = require_junit()
    work = tmp_path_factory.mktemp("android-generation")
    root = work / "tree"
    render_platform("android", text_generation_sdk, root)
    kotlin_build.render_text_feature(text_generation_sdk, root)
    assets = root / text_generation_sdk.android.module_name / "src" / "main" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / text_generation_sdk.android.model_asset).write_bytes(b"not a real ExecuTorch program")
    tree = Tree(name="text_generation", root=root, sdk=text_generation_sdk)
    standins = work / "standins"
    _compile_standins(kotlin, junit, standins)
    classes = work / "library"
    compiled = toolchain.kotlinc(kotlin, tree.kotlin_sources(tree.library, "main"), classpath=[standins],
                                 out=classes, extra=["-Xexplicit-api=strict"])
    return Library(tree, standins, classes, compiled)


def test_library_compiles_without_warnings(library: Library) -> None:
    compiled = library.compilation
    print(f"kotlinc library: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []
    classes = {p.stem for p in library.classes.rglob("*.class")}
    name = library.tree.sdk.type_name  # type: ignore[union-attr]
    assert {f"{name}LanguageModel", f"{name}Session", "ExecuTorchLanguageModel", "Sampler", "TokenGenerator"} <= classes


def test_unit_and_instrumented_tests_compile(library: Library, tmp_path: Path) -> None:
    assert library.compilation.returncode == 0, "the library did not compile"
    tree = library.tree
    sources = [*tree.kotlin_sources(tree.golden_module, "main"), *tree.kotlin_sources(tree.library, "test", "androidTest")]
    compiled = toolchain.kotlinc(require_kotlin(), sources, classpath=[library.classes, library.standins, *require_junit()],
                                 out=tmp_path / "tests", extra=[f"-Xfriend-paths={library.classes}"])
    print(f"kotlinc tests: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []


def test_chat_sample_compiles(library: Library, tmp_path: Path) -> None:
    assert library.compilation.returncode == 0, "the library did not compile"
    framework = require_aapt2()
    tree = library.tree
    linked = aapt2_link(tree, tree.sample, tmp_path / "r", framework)
    assert linked.returncode == 0, linked.stderr
    r_classes = tmp_path / "r-classes"
    javac = toolchain.javac(sorted((tmp_path / "r" / "java").rglob("R.java")), classpath=[], out=r_classes)
    assert javac.returncode == 0, javac.stderr
    compiled = toolchain.kotlinc(require_kotlin(), tree.kotlin_sources(tree.sample, "main"),
                                 classpath=[library.classes, library.standins, r_classes], out=tmp_path / "sample")
    print(f"kotlinc sample: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0, compiled.output[-6000:]
    assert [str(w) for w in compiled.warnings] == []
