"""The Gradle files: Kotlin-DSL syntax (real Kotlin compiler) and version-catalog references."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from android import toolchain
from android.conftest import Tree, require_kotlin
from sdkgen.codegen.android import ANDROID_TOOLCHAIN

CATALOG_ACCESSOR = re.compile(r"\blibs\.([A-Za-z0-9_.]+)")


def test_gradle_kotlin_dsl_has_no_syntax_errors(android_trees: dict[str, Tree], tmp_path: Path) -> None:
    """Compiled as plain Kotlin scripts: names Gradle provides are unresolved, syntax must hold."""
    kotlin = require_kotlin()
    scripts = []
    for tree in android_trees.values():
        for script in sorted(tree.root.rglob("*.gradle.kts")):
            flat = "_".join(script.relative_to(tree.root).parts).replace("-", "_")
            target = tmp_path / f"{tree.name}_{flat}"
            shutil.copyfile(script, target)
            scripts.append(target)
    assert len(scripts) == 5 * len(android_trees)  # settings, root, library, golden reader, sample
    compilation = toolchain.kotlinc(kotlin, scripts, classpath=[kotlin.script_runtime_jar],
                                    out=tmp_path / "out")
    kinds = sorted({d.kind for d in compilation.errors})
    print(f"kotlinc *.gradle.kts: {len(scripts)} scripts, {len(compilation.errors)} errors of kinds "
          f"{kinds}, {compilation.seconds:.1f} s")
    syntax = [str(d) for d in compilation.diagnostics if d.kind == "SYNTAX"]
    assert syntax == []
    assert all(d.kind for d in compilation.errors), compilation.output  # every error is classified
    assert "UNRESOLVED_REFERENCE" in kinds  # the scripts were really analysed


def _catalog_key(accessor: str) -> tuple[str, str]:
    section, _, rest = accessor.partition(".")
    if section in ("plugins", "versions"):
        return section, rest
    return "libraries", accessor


def test_version_catalog_covers_every_accessor(android_trees: dict[str, Tree]) -> None:
    for tree in android_trees.values():
        catalog = tomllib.loads((tree.root / "gradle/libs.versions.toml").read_text(encoding="utf-8"))
        normalized = {
            section: {re.sub(r"[-_]", ".", key): value for key, value in catalog[section].items()}
            for section in ("versions", "libraries", "plugins")
        }
        for entry in [*catalog["libraries"].values(), *catalog["plugins"].values()]:
            ref = entry.get("version", {}).get("ref") if isinstance(entry.get("version"), dict) else None
            if ref is not None:
                assert ref in catalog["versions"]
        used = {match for script in tree.root.rglob("*.gradle.kts")
                for match in CATALOG_ACCESSOR.findall(script.read_text(encoding="utf-8"))}
        assert used
        for accessor in used:
            section, key = _catalog_key(accessor)
            assert key in normalized[section], f"{tree.name}: libs.{accessor} is not in the catalog"


def test_pinned_versions_reach_the_project(android_trees: dict[str, Tree]) -> None:
    tree = android_trees["digits_fixture"]
    catalog = tomllib.loads((tree.root / "gradle/libs.versions.toml").read_text(encoding="utf-8"))
    assert catalog["versions"]["agp"] == ANDROID_TOOLCHAIN.agp
    assert catalog["versions"]["kotlin"] == ANDROID_TOOLCHAIN.kotlin
    assert catalog["versions"]["executorch"] == ANDROID_TOOLCHAIN.executorch_android
    wrapper = (tree.root / "gradle/wrapper/gradle-wrapper.properties").read_text(encoding="utf-8")
    assert f"gradle-{ANDROID_TOOLCHAIN.gradle}-bin.zip" in wrapper
    library = (tree.library / "build.gradle.kts").read_text(encoding="utf-8")
    assert f"compileSdk = {ANDROID_TOOLCHAIN.compile_sdk}" in library
    assert f"minSdk = {tree.min_sdk}" in library
    readme = (tree.root / "README.md").read_text(encoding="utf-8")
    runtime = ANDROID_TOOLCHAIN.executorch_android
    assert f"| `org.pytorch:executorch-android` (runtime) | {runtime} |" in readme


def test_litert_trees_pin_the_litert_runtime(android_trees: dict[str, Tree]) -> None:
    """A LiteRT tree depends on LiteRT (runtime and GPU accelerator), not on ExecuTorch."""
    from sdkgen.codegen.android_runtimes import LITERT

    tree = android_trees["digits_litert"]
    catalog = tomllib.loads((tree.root / "gradle/libs.versions.toml").read_text(encoding="utf-8"))
    assert catalog["versions"]["litert"] == LITERT.library.version
    assert {name: entry["name"] for name, entry in catalog["libraries"].items()
            if entry.get("group") == "com.google.ai.edge.litert"} == {
        "litert": "litert", "litert-gpu": "litert-gpu"}
    assert "executorch" not in catalog["versions"] and tree.min_sdk >= LITERT.min_sdk_floor
    readme = (tree.root / "README.md").read_text(encoding="utf-8")
    assert f"| `com.google.ai.edge.litert:litert` (runtime) | {LITERT.library.version} |" in readme
    assert "org.pytorch" not in readme


def test_model_digest_ships_beside_the_asset(android_trees: dict[str, Tree]) -> None:
    """create() reads the build-time SHA-256 instead of hashing the model on every launch."""
    import hashlib

    for tree in android_trees.values():
        assets = tree.library / "src/main/assets"
        model = tree.model_asset
        digest = (assets / f"{model.name}.sha256").read_text(encoding="ascii")
        assert digest == hashlib.sha256(model.read_bytes()).hexdigest()
        build = (tree.library / "build.gradle.kts").read_text(encoding="utf-8")
        assert f'noCompress += "{model.suffix[1:]}"' in build
        assert "withJavadocJar()" in build and "withSourcesJar()" in build


def test_test_sources_live_in_one_content_root(android_trees: dict[str, Tree]) -> None:
    """No source folder is added to both test and androidTest (Android Studio rejects that): the
    golden reader is a module that both depend on."""
    for tree in android_trees.values():
        assert not (tree.library / "src/sharedTest").exists()
        build = (tree.library / "build.gradle.kts").read_text(encoding="utf-8")
        assert "srcDir" not in build
        module = f'project(":{tree.golden_module.name}")'
        assert f"testImplementation({module})" in build
        assert f"androidTestImplementation({module})" in build
        settings = (tree.root / "settings.gradle.kts").read_text(encoding="utf-8")
        assert f'include(":{tree.golden_module.name}")' in settings
        assert list((tree.golden_module / "src/main").rglob("GoldenVectors.kt"))


def test_large_label_sets_ship_as_a_resource(android_trees: dict[str, Tree]) -> None:
    tree = android_trees["many_labels"]
    spec = next((tree.library / "src/main/java").rglob("*Spec.kt")).read_text(encoding="utf-8")
    assert '"class 19995"' not in spec  # not a source literal
    resources = list((tree.library / "src/main/resources").rglob("logits.labels"))
    assert len(resources) == 1
    small = next((android_trees["digits_fixture"].library / "src/main/java").rglob("*Spec.kt"))
    assert '"9",' in small.read_text(encoding="utf-8")  # ten labels stay a literal
