"""The text-generation Android tree compiles: library (strict explicit API), tests, sample app.

The tree is what a build renders — the platform templates, the text feature (tokenizer) and the
text_generation overlay — from a hand-built context with a hostile name, chat template and stop
strings; it is compiled with the real Kotlin compiler against the stand-ins of the ExecuTorch,
Android, AndroidX, Compose and kotlinx.coroutines APIs it calls (``tests/android/standins``), with
no warnings. The sample's R class comes from aapt2.
"""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def tree(text_generation_sdk: SdkContext, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    root = tmp_path_factory.mktemp("android-generation") / "tree"
    render_platform("android", text_generation_sdk, root)
    kotlin_build.render_text_feature(text_generation_sdk, root)
    assets = root / text_generation_sdk.android.module_name / "src" / "main" / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    (assets / text_generation_sdk.android.model_asset).write_bytes(b"not a real ExecuTorch program")
    return Tree(name="text_generation", root=root, sdk=text_generation_sdk)


def test_generated_kotlin_compiles_without_warnings(tree: Tree, tmp_path: Path) -> None:
    kotlin = require_kotlin()
    junit = require_junit()
    framework = require_aapt2()
    standins = tmp_path / "standins"
    _compile_standins(kotlin, junit, standins)
    library = tmp_path / "library"
    compiled = toolchain.kotlinc(kotlin, tree.kotlin_sources(tree.library, "main"), classpath=[standins],
                                 out=library, extra=["-Xexplicit-api=strict"])
    print(f"kotlinc library: {len(compiled.errors)} errors, {len(compiled.warnings)} warnings, {compiled.seconds:.1f} s")
    assert compiled.returncode == 0 and not compiled.warnings, compiled.output[-6000:]
    linked = aapt2_link(tree, tree.sample, tmp_path / "r", framework)
    assert linked.returncode == 0, linked.stderr
    r_classes = tmp_path / "r-classes"
    javac = toolchain.javac(sorted((tmp_path / "r" / "java").rglob("R.java")), classpath=[], out=r_classes)
    assert javac.returncode == 0, javac.stderr
    sources = [*tree.kotlin_sources(tree.golden_module, "main"), *tree.kotlin_sources(tree.library, "test", "androidTest"),
               *tree.kotlin_sources(tree.sample, "main")]
    rest = toolchain.kotlinc(kotlin, sources, classpath=[library, standins, r_classes, *junit], out=tmp_path / "rest",
                             extra=[f"-Xfriend-paths={library}"])
    print(f"kotlinc tests and sample: {len(rest.errors)} errors, {len(rest.warnings)} warnings, {rest.seconds:.1f} s")
    assert rest.returncode == 0 and not rest.warnings, rest.output[-6000:]
    classes = {p.stem for p in library.rglob("*.class")}
    assert {f"{tree.sdk.type_name}LanguageModel", f"{tree.sdk.type_name}Session", "Sampler"} <= classes
