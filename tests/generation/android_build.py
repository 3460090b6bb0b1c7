"""One compilation of a built text-generation Android tree, shared by the compile and JUnit checks.

The tree is the ``android/`` folder of a real ``sdkgen build`` (a tiny random-weight model: the
session fixture ``tiny_generation_build``): the platform templates, the text feature (tokenizer)
and the text_generation overlay, with the ``.pte``, ``tokenizer.json`` and the golden folder
inside. It is compiled with the real Kotlin compiler against the stand-ins of
``tests/android/standins``: the library in strict explicit-API mode, then the golden-reader module
with the unit and instrumented tests. The generation core, the tokenizer and their tests use no
Android class, so JUnit runs them on the JVM from these very classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from android import toolchain
from android.conftest import Tree

from generation import kotlin_build


@dataclass(frozen=True)
class AndroidBuild:
    tree: Tree
    standins: Path
    library: Path
    tests: Path
    library_compilation: toolchain.Compilation
    tests_compilation: toolchain.Compilation | None  # None when the library did not compile
    kotlin: toolchain.KotlinToolchain
    junit: tuple[Path, ...]

    def junit_build(self) -> kotlin_build.Built:
        """The classes JUnit runs the generation and tokenizer tests from."""
        package = self.tree.sdk.android.package  # type: ignore[union-attr]
        return kotlin_build.Built(package, self.library, self.tests, self.tree.library,
                                  (self.kotlin.stdlib_jar, *self.junit))


def build(tree: Tree, work: Path, kotlin: toolchain.KotlinToolchain, junit: list[Path],
          standins: Path) -> AndroidBuild:
    """Compile ``tree`` (library, then golden reader and tests) into ``work`` against the compiled
    ``standins``."""
    library, tests = work / "library", work / "tests"
    compiled = toolchain.kotlinc(kotlin, tree.kotlin_sources(tree.library, "main"), classpath=[standins],
                                 out=library, extra=["-Xexplicit-api=strict"])
    compiled_tests = None
    if compiled.returncode == 0:
        sources = [*tree.kotlin_sources(tree.golden_module, "main"),
                   *tree.kotlin_sources(tree.library, "test", "androidTest")]
        compiled_tests = toolchain.kotlinc(kotlin, sources, classpath=[library, standins, *junit], out=tests,
                                           extra=[f"-Xfriend-paths={library}"])
    return AndroidBuild(tree, standins, library, tests, compiled, compiled_tests, kotlin, tuple(junit))
