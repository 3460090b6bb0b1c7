"""The generated Swift generation core reproduces the Python reference on every golden case, and
the Core ML layer type-checks in the Swift 6 language mode against the Core ML stand-ins.

``swift build`` / ``swift test`` run a package of ``<Name>Core`` (tokenizer and generation) with the
golden folder as test resources, on Linux; the Core ML layer (``Sources/<Name>``: the language model,
its session, the stateful runtime) and the SwiftUI sample are checked with ``swiftc`` against the
stand-ins of ``tests/ios/standins``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ios import swifttools
from tooling import require_tool

from generation import swift_package
from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.platforms import render_platform


@pytest.fixture(scope="module")
def rendered(text_generation_sdk: SdkContext, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return swift_package.render_all(text_generation_sdk, tmp_path_factory.mktemp("swift-generation"))


def test_swift_core_passes_every_golden_case(rendered: Path, text_generation_sdk: SdkContext,
                                             golden_generation: tuple[Path, dict[str, int]],
                                             tmp_path: Path) -> None:
    require_tool("swift", "the Swift toolchain builds and tests the generated Core package")
    golden, counts = golden_generation
    package = swift_package.make_package(rendered, text_generation_sdk, golden, tmp_path / "package")
    built = swifttools.swift_build(package, tmp_path / "scratch")
    assert built.returncode == 0, built.describe()[-6000:]
    tested = swifttools.swift_test(package, tmp_path / "scratch")
    summary = swifttools.xctest_summary(tested.output)
    checked = {kind: int(n) for n, kind in re.findall(r"generation golden: (\d+) (\w+) cases", tested.output)}
    print(f"swift build {built.seconds:.0f} s, swift test {tested.seconds:.0f} s: {summary}; "
          f"cases checked per kind {checked}")
    assert tested.returncode == 0, tested.describe()[-6000:]
    assert summary is not None and summary.passed
    assert summary.executed == 7 + 4  # golden tests per kind + model template, loop tests
    assert checked == counts  # greedy cases: structure only (the model test runs them)


def test_coreml_layer_typechecks_against_standins(text_generation_sdk: SdkContext, tmp_path: Path) -> None:
    require_tool("swiftc", "the Swift compiler type-checks the Core ML layer")
    root = tmp_path / "tree"
    render_platform("ios", text_generation_sdk, root)
    swift_package.render_all(text_generation_sdk, tmp_path / "text")  # the text feature, until the plan adds it
    name = text_generation_sdk.type_name
    core_dir = root / "Sources" / f"{name}Core"
    for source in (tmp_path / "text" / "Sources" / f"{name}Core").rglob("*.swift"):
        target = core_dir / source.relative_to(tmp_path / "text" / "Sources" / f"{name}Core")
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    modules = tmp_path / "modules"
    for run in swifttools.build_standins(modules):
        assert run.returncode == 0, run.describe()
    core = sorted(core_dir.rglob("*.swift"))
    emitted = swifttools.emit_module(f"{name}Core", core, modules, root)
    assert emitted.returncode == 0, emitted.describe()[-6000:]
    layer = sorted((root / "Sources" / name).glob("*.swift"))
    checked = swifttools.typecheck(name, [*layer, swifttools.RESOURCE_ACCESSOR], modules, root)
    print(f"swiftc -typecheck (Swift 6) of {len(layer)} Core ML layer files: {checked.seconds:.1f} s")
    assert checked.returncode == 0, checked.describe()[-6000:]
    assert any(p.name == f"{name}LanguageModel.swift" for p in layer)


def test_every_swift_file_parses(text_generation_sdk: SdkContext, tmp_path: Path) -> None:
    """``swiftc -parse`` of every Swift file of the tree, the SwiftUI chat sample included (the
    sample cannot be type-checked on Linux: no SwiftUI)."""
    require_tool("swiftc", "the Swift compiler parses the generated Swift")
    root = tmp_path / "tree"
    render_platform("ios", text_generation_sdk, root)
    swift_package.render_all(text_generation_sdk, tmp_path / "text")
    files = sorted([*root.rglob("*.swift"), *(tmp_path / "text").rglob("*.swift")])
    assert any(p.name == "ChatModel.swift" for p in files)
    runs = [swifttools.run(["swiftc", "-parse", str(file)], tmp_path) for file in files]  # one by one:
    print(f"swiftc -parse of {len(files)} files: {sum(r.seconds for r in runs):.1f} s")  # names repeat
    failed = [r.describe() for r in runs if r.returncode != 0 or "error" in r.output]
    assert failed == []
