"""Session fixtures of the Android checks: rendered trees, compiled stand-ins and generated code.

The Kotlin compiler takes seconds per run, so every tree is rendered once and the generated code
of all trees is compiled in three runs (library, tests, sample app): the fixtures use distinct
Java packages, so their classes never collide.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from text_trees import TEXT_DEFINITIONS, text_golden
from tooling import require_tool, tool_missing

from android import toolchain
from android.fixtures import Fixture, fixtures, write_fixture_golden, write_hostile_spec
from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.naming import kotlin_package
from sdkgen.codegen.platforms import generate_platform_tree

STANDINS = Path(__file__).parent / "standins"
MODEL_SUFFIXES = (".pte", ".tflite")  # the model assets of the Android runtimes


@dataclass(frozen=True)
class Tree:
    """A generated Android project: from a hand-built context (``sdk``) or a real example build.

    Everything the checks need is read from the generated files, so both kinds are checked the
    same way.
    """

    name: str
    root: Path  # the rendered Gradle project
    sdk: SdkContext | None = None  # set for hand-built fixtures

    @property
    def model_asset(self) -> Path:
        """The model asset of the library module (a ``.pte`` or, on LiteRT, a ``.tflite``)."""
        assets = [p for suffix in MODEL_SUFFIXES for p in self.root.glob(f"*/src/main/assets/*{suffix}")]
        assert len(assets) == 1, f"expected one library module with a model asset in {self.root}"
        return assets[0]

    @property
    def library(self) -> Path:
        return self.model_asset.parents[3]

    @property
    def golden_module(self) -> Path:
        """The golden-vector reader module both test source sets of the library depend on."""
        return self.root / f"{self.library.name}-golden"

    @property
    def sample(self) -> Path:
        return self.root / "sample"

    def _gradle_value(self, module: Path, key: str) -> str:
        text = (module / "build.gradle.kts").read_text(encoding="utf-8")
        match = re.search(rf'^\s*{key} = "?([^"\n]+)"?$', text, re.MULTILINE)
        assert match, f"no {key} in {module}/build.gradle.kts"
        return match.group(1)

    @property
    def package(self) -> str:
        return self._gradle_value(self.library, "namespace")

    @property
    def min_sdk(self) -> int:
        return int(self._gradle_value(self.library, "minSdk"))

    @property
    def target_sdk(self) -> int:
        return int(self._gradle_value(self.sample, "targetSdk"))

    @property
    def type_name(self) -> str:
        tests = [p for p in (self.library / "src/test/java").rglob("*GoldenTest.kt")
                 if p.name != "TokenizerGoldenTest.kt"]  # a text model's tokenizer test
        assert len(tests) == 1, tests
        return tests[0].name.removesuffix("GoldenTest.kt")

    @property
    def manifest(self) -> dict[str, Any]:
        path = self.library / "src/test/resources/golden/manifest.json"
        return json.loads(path.read_text(encoding="utf-8"))

    @property
    def expected_junit_tests(self) -> int:
        """Two model-independent tests, two per image input, one per text input, one per
        classification output and three per embedding output."""
        manifest = self.manifest
        texts = {i["text"]["source"] for i in manifest["inputs"] if i["kind"] == "text"}
        return 2 + 2 * sum(i["kind"] == "image" for i in manifest["inputs"]) + len(texts) + sum(
            o["kind"] == "classification" for o in manifest["outputs"]
        ) + 3 * sum(o["kind"] == "embedding" for o in manifest["outputs"])

    def kotlin_sources(self, module: Path, *source_sets: str) -> list[Path]:
        return sorted(p for s in source_sets for p in (module / "src" / s).rglob("*.kt"))


@dataclass(frozen=True)
class Compiled:
    standins: Path
    library: Path
    tests: Path
    sample: Path
    compilations: dict[str, toolchain.Compilation]  # "library", "tests", "sample"


def require_kotlin() -> toolchain.KotlinToolchain:
    kotlin = toolchain.find_kotlin()
    if kotlin is None:
        tool_missing("no Kotlin compiler: pip install kotlin-jupyter-kernel (and a JDK) to compile "
                     "generated Kotlin")
    require_tool("javac", "a JDK is needed to compile the Java stand-ins")
    return kotlin


def require_junit() -> list[Path]:
    jars = toolchain.junit_classpath()
    if jars is None:
        tool_missing("no /usr/share/java/junit4.jar: run scripts/install-android-tools.sh")
    return jars


def require_aapt2() -> Path:
    require_tool("aapt2", "run scripts/install-android-tools.sh (Debian aapt)")
    framework = toolchain.framework_res()
    if framework is None:
        tool_missing("no framework-res.apk: run scripts/install-android-tools.sh")
    return framework


HOSTILE_SPEC = "hostile_spec"
EXAMPLES = ("digits", "mobilenet_v2", HOSTILE_SPEC)
FIXTURES = ("digits_fixture", "pets", "scorer", "hostile", "many_labels", "digits_litert",
            "scorer_litert")
TEXT_TREES = tuple(TEXT_DEFINITIONS)  # the tiny text models: real plans, stand-in artifacts


@pytest.fixture(scope="session")
def android_fixtures() -> dict[str, Fixture]:
    return {("digits_fixture" if name == "digits" else name): f for name, f in fixtures().items()}


def _example_reason() -> str | None:
    """Why the bundled examples cannot be built here, or None when they can."""
    for module in ("torch", "executorch"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (use the full venv) to build the bundled examples"
    return None


def _build_example(example: str, out: Path) -> Path:
    from sdkgen.examples import example_path
    from sdkgen.pipeline import build

    if example == HOSTILE_SPEC:
        spec = write_hostile_spec(out.with_name(out.name + "-definition"))
    else:
        spec = example_path(example) / "sdkgen.yaml"
    build(spec, out_dir=out, platforms=("android",))
    return out / "android"


@pytest.fixture(scope="session")
def android_trees(
    android_fixtures: dict[str, Fixture], tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> dict[str, Tree]:
    """Hand-built fixture trees, plus the Android trees of real builds of the bundled examples.

    A bundled example that fails to build is left out and its error kept in ``EXAMPLE_ERRORS``:
    the tests of that example fail with it, the others still run.
    """
    base = tmp_path_factory.mktemp("android")
    trees = {}
    for name, fixture in android_fixtures.items():
        golden = base / f"{name}-golden"
        write_fixture_golden(fixture, golden)
        model = base / f"{name}.pte"
        model.write_bytes(b"not a real ExecuTorch program: " + name.encode())
        root = base / name
        generate_platform_tree("android", fixture.sdk, model_artifact=model, golden_dir=golden,
                               out_dir=root)
        trees[name] = Tree(name=name, root=root, sdk=fixture.sdk)
    if _example_reason() is None:
        for name in TEXT_TREES:
            text = text_golden(name, base / f"{name}-golden")
            model = base / f"{name}.pte"
            model.write_bytes(b"not a real ExecuTorch program: " + name.encode())
            generate_platform_tree("android", text.sdk, model_artifact=model, golden_dir=text.golden,
                                   out_dir=base / name)
            trees[name] = Tree(name=name, root=base / name, sdk=text.sdk)
        for example in EXAMPLES:
            try:
                if example == "digits":  # the session's build of digits, both platforms
                    root = request.getfixturevalue("digits_build").out_dir / "android"
                else:
                    root = _build_example(example, base / f"build-{example}")
                trees[example] = Tree(name=example, root=root)
            except Exception as error:  # reported by the tests of this example
                EXAMPLE_ERRORS[example] = f"{type(error).__name__}: {error}"
    return trees


EXAMPLE_ERRORS: dict[str, str] = {}


def tree_or_skip(trees: dict[str, Tree], name: str) -> Tree:
    """The tree ``name``; a bundled example that cannot be built here skips (or fails)."""
    if name in EXAMPLE_ERRORS:
        pytest.fail(f"sdkgen build --example {name} failed: {EXAMPLE_ERRORS[name]}")
    if name not in trees:
        tool_missing(_example_reason() or f"no tree named {name}")
    return trees[name]


def _patched_manifest(manifest: Path, package: str, out: Path) -> Path:
    """The manifest as AGP hands it to aapt2: the Gradle ``namespace`` as ``package``."""
    text = manifest.read_text(encoding="utf-8")
    patched, count = re.subn(r"<manifest\b", f'<manifest package="{package}"', text, count=1)
    assert count == 1, f"no <manifest> element in {manifest}"
    out.write_text(patched, encoding="utf-8")
    return out


def aapt2_link(tree: Tree, module: Path, work: Path, framework: Path) -> subprocess.CompletedProcess[str]:
    """Compile the module's resources, link them with its manifest; R.java goes to work/java."""
    work.mkdir(parents=True, exist_ok=True)
    package = tree.package if module == tree.library else f"{tree.package}.sample"
    manifest = _patched_manifest(module / "src/main/AndroidManifest.xml", package,
                                 work / "AndroidManifest.xml")
    command = ["aapt2", "link", "-I", str(framework), "--manifest", str(manifest),
               "--min-sdk-version", str(tree.min_sdk), "--target-sdk-version", str(tree.target_sdk),
               "--java", str(work / "java"), "-o", str(work / "linked.apk")]
    res = module / "src/main/res"
    if res.is_dir():
        flat = work / "res.zip"
        compiled = subprocess.run(["aapt2", "compile", "--dir", str(res), "-o", str(flat)],
                                  capture_output=True, text=True, check=False)
        if compiled.returncode != 0:
            return compiled
        command.append(str(flat))
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def sample_r_classes(android_trees: dict[str, Tree], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample apps' R classes, generated by aapt2 from their resources and compiled."""
    framework = require_aapt2()
    require_tool("javac", "a JDK is needed to compile R.java")
    work = tmp_path_factory.mktemp("r")
    sources: list[Path] = []
    for tree in android_trees.values():
        result = aapt2_link(tree, tree.sample, work / tree.name, framework)
        assert result.returncode == 0, result.stderr
        sources += sorted((work / tree.name / "java").rglob("R.java"))
    out = work / "classes"
    compiled = toolchain.javac(sources, classpath=[], out=out)
    assert compiled.returncode == 0, compiled.stderr
    return out


def compile_standins(kotlin: toolchain.KotlinToolchain, junit: list[Path], out: Path) -> None:
    java_sources = sorted((STANDINS / "java").rglob("*.java"))
    kotlin_sources = sorted((STANDINS / "kotlin").rglob("*.kt"))
    first = toolchain.kotlinc(kotlin, [*kotlin_sources, *java_sources], classpath=junit, out=out)
    assert first.returncode == 0, first.output
    second = toolchain.javac(java_sources, classpath=[out, kotlin.stdlib_jar, *junit], out=out)
    assert second.returncode == 0, second.stderr


@pytest.fixture(scope="session")
def compiled(android_trees: dict[str, Tree], sample_r_classes: Path, kotlin_standins: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    """All trees' generated Kotlin, compiled in three runs: library, tests, sample app."""
    kotlin = require_kotlin()
    junit = require_junit()
    work = tmp_path_factory.mktemp("kotlin")
    standins = kotlin_standins
    trees = list(android_trees.values())

    library = work / "library"
    library_sources = [p for t in trees for p in t.kotlin_sources(t.library, "main")]
    compilations = {"library": toolchain.kotlinc(
        kotlin, library_sources, classpath=[standins], out=library, extra=["-Xexplicit-api=strict"])}
    assert compilations["library"].returncode == 0, compilations["library"].output

    # one compiler run at a time: side by side they are slower on two cores
    tests, sample = work / "tests", work / "sample"
    test_sources = [p for t in trees
                    for p in [*t.kotlin_sources(t.golden_module, "main"),
                              *t.kotlin_sources(t.library, "test", "androidTest")]]
    compilations["tests"] = toolchain.kotlinc(
        kotlin, [*test_sources, *_label_dumpers(trees, work / "dumpers")],
        classpath=[library, standins, *junit], out=tests, extra=[f"-Xfriend-paths={library}"])
    assert compilations["tests"].returncode == 0, compilations["tests"].output
    sample_sources = [p for t in trees for p in t.kotlin_sources(t.sample, "main")]
    compilations["sample"] = toolchain.kotlinc(
        kotlin, sample_sources, classpath=[library, standins, sample_r_classes], out=sample)
    assert compilations["sample"].returncode == 0, compilations["sample"].output
    return Compiled(standins=standins, library=library, tests=tests, sample=sample,
                    compilations=compilations)


LABEL_DUMPER = """package {package}

/** Prints every label of every classification output as UTF-16 code units in hex, one per line. */
fun main() {{
{lines}
}}
"""


def _label_dumpers(trees: list[Tree], directory: Path) -> list[Path]:
    """Per fixture tree, a tiny program printing the generated labels, to compare with Python's."""
    files = []
    for tree in trees:
        if tree.sdk is None:
            continue
        sdk = tree.sdk
        lines = "\n".join(
            f"    for (label in {sdk.type_name}Spec.{o.identifier}Labels) "
            'println(label.map { it.code.toString(16) }.joinToString(" "))'
            for o in sdk.outputs if o.classification is not None
        )
        source = directory / tree.name / "LabelDump.kt"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(LABEL_DUMPER.format(package=kotlin_package(sdk.android.package), lines=lines),
                          encoding="utf-8")
        files.append(source)
    return files


def label_dumper_class(tree: Tree) -> str:
    return f"{tree.package}.LabelDumpKt"
