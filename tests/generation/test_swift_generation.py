"""The generated Swift generation core and tokenizer of a built tree reproduce the Python reference
on every golden case, and the Core ML layer type-checks in the Swift 6 language mode against the
Core ML stand-ins.

``swift build`` / ``swift test`` run a package of the built tree's ``<Name>Core`` (tokenizer and
generation) with the build's golden folder (and the hand-built chat-template files) as test
resources, on Linux; the Core ML layer (``Sources/<Name>``: the language model, its session, the
stateful runtime) and the SwiftUI sample are checked with ``swiftc`` against the stand-ins of
``tests/ios/standins``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ios import swifttools
from tooling import require_tool

from generation import swift_package
from generation.conftest import BuiltGeneration


def test_swift_core_passes_every_golden_case(built_generation: BuiltGeneration, tmp_path: Path) -> None:
    require_tool("swift", "the Swift toolchain builds and tests the generated Core package")
    built = built_generation
    package = swift_package.make_package(built.ios, built.sdk, built.resources / "golden", tmp_path / "package")
    compiled = swifttools.swift_build(package, tmp_path / "scratch")
    assert compiled.returncode == 0, compiled.describe()[-6000:]
    tested = swifttools.swift_test(package, tmp_path / "scratch")
    summary = swifttools.xctest_summary(tested.output)
    checked = {kind: int(n) for n, kind in re.findall(r"generation golden: (\d+) (\w+) cases", tested.output)}
    print(f"swift build {compiled.seconds:.0f} s, swift test {tested.seconds:.0f} s: {summary}; "
          f"cases checked per kind {checked}")
    assert tested.returncode == 0, tested.describe()[-6000:]
    assert summary is not None and summary.passed
    # golden tests per kind + model template, loop tests, tokenizer golden tests
    assert summary.executed == 7 + 4 + swift_package.TOKENIZER_TESTS
    assert checked == built.counts  # greedy cases: structure only (the model test runs them)


def test_coreml_layer_typechecks_against_standins(built_generation: BuiltGeneration, standin_modules: Path,
                                                  tmp_path: Path) -> None:
    require_tool("swiftc", "the Swift compiler type-checks the Core ML layer")
    root = built_generation.ios
    name = built_generation.sdk.type_name
    modules = tmp_path / "modules"
    modules.mkdir()
    for standin in standin_modules.glob("*.swiftmodule"):
        (modules / standin.name).symlink_to(standin)
    core = sorted((root / "Sources" / f"{name}Core").rglob("*.swift"))
    emitted = swifttools.emit_module(f"{name}Core", core, modules, tmp_path)
    assert emitted.returncode == 0, emitted.describe()[-6000:]
    layer = sorted((root / "Sources" / name).glob("*.swift"))
    checked = swifttools.typecheck(name, [*layer, swifttools.RESOURCE_ACCESSOR], modules, tmp_path)
    print(f"swiftc -typecheck (Swift 6) of {len(layer)} Core ML layer files: {checked.seconds:.1f} s")
    assert checked.returncode == 0, checked.describe()[-6000:]
    assert any(p.name == f"{name}LanguageModel.swift" for p in layer)


def test_every_swift_file_parses(built_generation: BuiltGeneration, tmp_path: Path) -> None:
    """``swiftc -parse`` of every Swift file of the built tree, the SwiftUI chat sample included
    (the sample cannot be type-checked on Linux: no SwiftUI)."""
    require_tool("swiftc", "the Swift compiler parses the generated Swift")
    files = sorted(built_generation.ios.rglob("*.swift"))
    assert any(p.name == "ChatModel.swift" for p in files)
    runs = [swifttools.run(["swiftc", "-parse", str(file)], tmp_path) for file in files]  # one by one:
    print(f"swiftc -parse of {len(files)} files: {sum(r.seconds for r in runs):.1f} s")  # names repeat
    failed = [r.describe() for r in runs if r.returncode != 0 or "error" in r.output]
    assert failed == []
