"""The generated Kotlin (library, tests, sample app) compiles with a real Kotlin compiler.

It compiles against stand-ins of the Android framework, AndroidX, Compose and ExecuTorch
(``tests/android/standins``) that mirror the real signatures of the pinned versions, with zero
errors and zero warnings; the library in Kotlin's strict explicit-API mode.
"""

from __future__ import annotations

import pytest

from android.conftest import FIXTURES, Compiled, Tree


@pytest.mark.parametrize("part", ["library", "tests", "sample"])
def test_generated_kotlin_compiles_without_warnings(compiled: Compiled, part: str) -> None:
    compilation = compiled.compilations[part]
    print(f"kotlinc {part}: {len(compilation.errors)} errors, {len(compilation.warnings)} warnings, "
          f"{compilation.seconds:.1f} s")
    assert compilation.returncode == 0, compilation.output
    assert compilation.errors == []
    assert [str(w) for w in compilation.warnings] == []


def test_every_tree_was_compiled(compiled: Compiled, android_trees: dict[str, Tree]) -> None:
    assert set(FIXTURES) <= android_trees.keys()
    classes = {p.stem for p in compiled.library.rglob("*.class")}
    for tree in android_trees.values():
        assert tree.type_name in classes, tree.name
        assert f"{tree.type_name}Spec" in classes, tree.name
