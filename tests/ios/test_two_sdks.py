"""Two generated SDKs in one app: their public types must not collide.

An app that imports two generated packages sees both modules' public names at once; a shared name
(``Tensor``, ``RGBAImage``, ...) is ambiguous there, and qualifying it with the module name does not
help when the module is named like its main type (``MobileNetV2.Tensor`` looks inside the actor
``MobileNetV2``). So every public type is prefixed with the SDK's type name. The proof is one Swift
package depending on two generated SDKs and using both: built and run with SwiftPM (the pure Core
targets: the Core ML layers compile to nothing off Apple platforms), and the Core ML layers of both
type-checked together against the stand-in Apple modules.
"""

from __future__ import annotations

import re
from pathlib import Path

from tooling import require_tool

from ios import fixtures, swifttools
from sdkgen.codegen import naming
from sdkgen.codegen.context import SdkContext

_PUBLIC_TYPE = re.compile(r"^public (?:final )?(?:struct|enum|class|actor|protocol) (\w+)", re.MULTILINE)


def _public_types(root: Path) -> set[str]:
    sources = [*(root / "Sources").rglob("*.swift")]
    return {name for source in sources for name in _PUBLIC_TYPE.findall(source.read_text("utf-8"))}


def _sdks() -> tuple[SdkContext, SdkContext]:
    # Two image classifiers: the same task, so the same set of generated types on both sides.
    return fixtures.digits_sdk(), fixtures.hostile_sdk()


def _uses(sdk: SdkContext) -> list[str]:
    """Swift statements that use an SDK's Core types unqualified and print what they compute."""
    t = sdk.type_name
    lines = []
    for item in sdk.inputs:
        if item.image is None:
            continue
        image = item.image
        lines += [
            f"let {item.identifier}Of{t}: {t}RGBAImage = try {t}RGBAImage(width: {image.width}, "
            f"height: {image.height}, pixels: [UInt8](repeating: 128, count: {image.width * image.height * 4}))",
            f"let {item.identifier}TensorOf{t}: {t}Tensor<Float> = try {t}Metadata.{item.identifier}"
            f"Preprocessing.tensor(from: {item.identifier}Of{t})",
            f'print("{t} {item.identifier}", {item.identifier}TensorOf{t}.shape)',
        ]
    for output in sdk.outputs:
        if output.classification is None:
            continue
        count = len(output.classification.labels)
        lines += [
            f"let {output.identifier}Of{t}: [{t}Classification] = try {t}Metadata.{output.identifier}"
            f"Decoder.decode((0..<{count}).map(Float.init), topK: 1)",
            f'print("{t} {output.identifier}", {output.identifier}Of{t}[0].index)',
        ]
    return lines


def _consumer(directory: Path, trees: list[tuple[SdkContext, Path]]) -> Path:
    """A package with one executable that depends on both SDKs' products."""
    sources = directory / "Sources" / "TwoModels"
    sources.mkdir(parents=True)
    dependencies = ",\n".join(f"        .package(path: {naming.swift_string(str(root))})"
                              for _, root in trees)
    products = ", ".join(
        f'.product(name: "{sdk.type_name}{suffix}", package: "{root.name}")'
        for sdk, root in trees for suffix in ("", "Core"))
    (directory / "Package.swift").write_text(
        "// swift-tools-version: 6.0\nimport PackageDescription\n\n"
        "let package = Package(\n    name: \"TwoModels\",\n"
        "    platforms: [.iOS(\"17.0\"), .macOS(\"14.0\")],\n"
        f"    dependencies: [\n{dependencies}\n    ],\n"
        f"    targets: [.executableTarget(name: \"TwoModels\", dependencies: [{products}])],\n"
        "    swiftLanguageModes: [.v6]\n)\n", encoding="utf-8")
    imports = [f"import {sdk.type_name}{suffix}" for sdk, _ in trees for suffix in ("", "Core")]
    body = [line for sdk, _ in trees for line in _uses(sdk)]
    (sources / "main.swift").write_text("\n".join([*imports, "", *body, ""]), encoding="utf-8")
    return directory


def _render_both(tmp_path: Path) -> list[tuple[SdkContext, Path]]:
    trees = []
    for sdk in _sdks():
        work = tmp_path / sdk.type_name
        root = fixtures.render_ios_tree(sdk, work)
        # SwiftPM names a path dependency after its folder: give each tree its own.
        named = root.rename(work / sdk.type_name)
        trees.append((sdk, named))
    return trees


def test_public_types_of_two_sdks_are_disjoint(tmp_path: Path):
    trees = _render_both(tmp_path)
    (first_sdk, first), (second_sdk, second) = trees
    first_types, second_types = _public_types(first), _public_types(second)
    assert first_types and second_types
    assert first_types & second_types == set()
    for sdk, types in ((first_sdk, first_types), (second_sdk, second_types)):
        assert all(name.startswith(sdk.type_name) for name in types), sorted(types)


def test_one_package_builds_and_runs_with_two_sdks(tmp_path: Path):
    require_tool("swift", "the two-SDK package is built with SwiftPM")
    trees = _render_both(tmp_path)
    consumer = _consumer(tmp_path / "consumer", trees)
    built = swifttools.run(["swift", "build", "--scratch-path", str(tmp_path / "swiftpm")], consumer)
    print(f"\nswift build of a package using {' and '.join(s.type_name for s, _ in trees)}: "
          f"{built.seconds:.1f} s, exit {built.returncode}")
    assert built.returncode == 0, built.describe()
    ran = swifttools.run(["swift", "run", "--skip-build", "--scratch-path", str(tmp_path / "swiftpm"),
                          "TwoModels"], consumer)
    assert ran.returncode == 0, ran.describe()
    printed = [line for line in ran.output.splitlines() if line.strip()]
    for sdk, _ in trees:
        for item in sdk.inputs:
            if item.image is not None:
                assert f"{sdk.type_name} {item.identifier} {list(item.shape)}" in printed
        for output in sdk.outputs:
            if output.classification is not None:
                # values 0, 1, ..., n-1: the top class is the last one
                top = len(output.classification.labels) - 1
                assert f"{sdk.type_name} {output.identifier} {top}" in printed


def test_coreml_layers_of_two_sdks_typecheck_together(standin_modules: Path, tmp_path: Path):
    trees = _render_both(tmp_path)
    modules = tmp_path / "modules"
    modules.mkdir()
    for standin in standin_modules.glob("*.swiftmodule"):
        (modules / standin.name).symlink_to(standin)
    for sdk, root in trees:
        for module, folder, extra in ((f"{sdk.type_name}Core", f"{sdk.type_name}Core", []),
                                      (sdk.type_name, sdk.type_name, [swifttools.RESOURCE_ACCESSOR])):
            sources = swifttools.swift_sources(root / "Sources" / folder) + extra
            emitted = swifttools.emit_module(module, sources, modules, root)
            assert emitted.returncode == 0, emitted.describe()
    app = tmp_path / "App.swift"
    lines = [f"import {sdk.type_name}" for sdk, _ in trees] + ["import CoreGraphics", ""]
    lines.append("func classifyWithBoth(_ image: CGImage) async throws -> Int {")
    total = []
    for sdk, _ in trees:
        t = sdk.type_name
        lines += [f"    let {t.lower()} = try await {t}()",
                  f"    let {t.lower()}Classes: [{t}Classification] = try await {t.lower()}.classify(image)"]
        total.append(f"{t.lower()}Classes.count")
    lines += [f"    return {' + '.join(total)}", "}", ""]
    app.write_text("\n".join(lines), encoding="utf-8")
    checked = swifttools.typecheck("App", [app], modules, tmp_path)
    assert checked.returncode == 0 and not checked.output.strip(), checked.describe()
