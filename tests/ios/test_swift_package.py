"""The generated Swift package with the real Swift toolchain (Linux): build, golden tests, parse,
and a Swift 6 type-check of the Core ML layer against stand-in Apple modules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tooling import require_tool

from ios import fixtures, swifttools
from ios.conftest import BuiltPackage, RenderedTree
from sdkgen.codegen.context import SdkContext


def expected_core_test_count(sdk: SdkContext) -> int:
    """The XCTest methods the Core golden tests generate for this definition."""
    classifications = sum(1 for output in sdk.outputs if output.classification is not None)
    per_case = 1 + (1 if classifications else 0)  # preprocessing (+ decoding)
    embeddings = sum(1 for output in sdk.outputs if output.embedding is not None)
    per_case += embeddings  # one embedding check per case and embedding output
    images = sum(1 for item in sdk.inputs if item.image is not None)
    pixel_tests = 1 + images if images else 0  # orientation + premultiplied golden pixels per image
    # the tokenizer's golden files (encode, decode, stream) and its loading tests
    tokenizer_tests = 6 if any(item.text is not None for item in sdk.inputs) else 0
    return (1 + classifications + embeddings + per_case * len(sdk.golden.case_names) + pixel_tests
            + tokenizer_tests)


def test_package_builds_and_golden_tests_pass(built_package: BuiltPackage):
    assert built_package.build.returncode == 0, built_package.build.describe()
    assert built_package.test.returncode == 0, built_package.test.describe()
    summary = swifttools.xctest_summary(built_package.test.output)
    assert summary is not None, built_package.test.describe()
    print(f"\n[{built_package.tree.name}] swift build {built_package.build.seconds:.1f} s, "
          f"swift test {built_package.test.seconds:.1f} s: executed {summary.executed} tests, "
          f"{summary.failures} failures")
    assert summary.passed and summary.failures == 0
    # The Core ML model tests compile to nothing off Apple platforms: the Core tests run, and the
    # model cache's housekeeping test (Foundation only).
    assert summary.executed == expected_core_test_count(built_package.tree.sdk) + 1
    assert "testStaleCompiledCopiesAreRemoved' passed" in built_package.test.output


def test_labels_round_trip_through_swift(built_package: BuiltPackage):
    sdk = built_package.tree.sdk
    for output in sdk.outputs:
        if output.classification is None:
            continue
        name = output.identifier[:1].upper() + output.identifier[1:]
        assert f"testLabelsOf{name}RoundTripExactly' passed" in built_package.test.output, (
            built_package.test.describe())


def test_every_generated_swift_file_parses(ios_tree: RenderedTree):
    require_tool("swiftc", "every generated Swift file is checked with swiftc -parse")
    sources = sorted(ios_tree.root.rglob("*.swift"))
    app_sources = [p for p in sources if "App" in p.relative_to(ios_tree.root).parts]
    assert len(app_sources) >= 3, app_sources  # the SwiftUI app is included
    for source in sources:
        parsed = swifttools.run(["swiftc", "-parse", str(source)], ios_tree.root)
        assert parsed.returncode == 0 and not parsed.output.strip(), parsed.describe()


def _emit(name: str, directory: Path, modules: Path, extra: list[Path] | None = None) -> None:
    sources = swifttools.swift_sources(directory) + (extra or [])
    emitted = swifttools.emit_module(name, sources, modules, directory)
    assert emitted.returncode == 0, emitted.describe()


def _emit_core(name: str, root: Path, modules: Path) -> None:
    """The Core module; a Core target with resources (a text model's tokenizer) reads them with
    the ``Bundle.module`` SwiftPM generates: the stand-in accessor takes its place."""
    core = root / "Sources" / f"{name}Core"
    _emit(f"{name}Core", core, modules,
          [swifttools.RESOURCE_ACCESSOR] if (core / "Resources").is_dir() else None)


def test_coreml_layer_typechecks_in_swift6_against_standins(
    ios_tree: RenderedTree, standin_modules: Path, tmp_path: Path
):
    modules = tmp_path / "modules"
    modules.mkdir()
    for standin in standin_modules.glob("*.swiftmodule"):
        (modules / standin.name).symlink_to(standin)
    name, root = ios_tree.sdk.type_name, ios_tree.root
    _emit_core(name, root, modules)

    layer = swifttools.swift_sources(root / "Sources" / name)
    checked = swifttools.typecheck(name, [*layer, swifttools.RESOURCE_ACCESSOR], modules, root)
    print(f"\n[{ios_tree.name}] swiftc -typecheck (Swift 6) of {len(layer)} files: "
          f"{checked.seconds:.1f} s, exit {checked.returncode}")
    assert checked.returncode == 0 and not checked.output.strip(), checked.describe()

    # The model tests (macOS/iOS only) type-check too, against the layer they test.
    _emit(name, root / "Sources" / name, modules, [swifttools.RESOURCE_ACCESSOR])
    _emit(f"{name}TestSupport", root / "Tests" / f"{name}TestSupport", modules)
    tests = swifttools.swift_sources(root / "Tests" / f"{name}Tests")
    checked_tests = swifttools.typecheck(f"{name}Tests", [*tests, swifttools.RESOURCE_ACCESSOR],
                                         modules, root)
    assert checked_tests.returncode == 0 and not checked_tests.output.strip(), (
        checked_tests.describe())


def test_standins_catch_a_sendability_violation(standin_modules: Path, tmp_path: Path):
    """The stand-ins keep MLModel non-Sendable, so leaking it out of the actor must not compile."""
    sdk = fixtures.digits_sdk()
    root = fixtures.render_ios_tree(sdk, tmp_path / "tree")
    modules = tmp_path / "modules"
    modules.mkdir()
    for standin in standin_modules.glob("*.swiftmodule"):
        (modules / standin.name).symlink_to(standin)
    name = sdk.type_name
    _emit_core(name, root, modules)
    leak = tmp_path / "Leak.swift"
    leak.write_text(f"import CoreML\nfunc leak(_ m: {name}) async -> MLModel {{\n"
                    "    await m.withModel { $0 }\n}\n", encoding="utf-8")
    layer = swifttools.swift_sources(root / "Sources" / name)
    checked = swifttools.typecheck(name, [*layer, swifttools.RESOURCE_ACCESSOR, leak], modules, root)
    assert checked.returncode != 0
    assert "does not conform to the 'Sendable' protocol" in checked.output, checked.describe()


@dataclass(frozen=True)
class DriftedPackage:
    sdk: SdkContext
    build: swifttools.Run
    test: swifttools.Run


LABEL = ('            "0",\n', '            "0\\u{301}",\n')  # "0" + combining acute accent
LUMA = ("Double(pixels[base]) * 0.299", "Double(pixels[base]) * 0.2991")  # off by 1e-4


@pytest.fixture(scope="module")
def drifted_package(tmp_path_factory: pytest.TempPathFactory) -> DriftedPackage:
    """The digits package with two independent drifts, built and tested once (a `swift build` is
    the slow part): one label changed, and one luma weight of the pre-processing. Each control
    below asserts the failure its own drift causes; neither drift touches what the other checks."""
    require_tool("swift", "the generated Swift package is built and tested with SwiftPM")
    sdk = fixtures.digits_sdk()
    work = tmp_path_factory.mktemp("ios-drifted")
    root = fixtures.render_ios_tree(sdk, work / "tree")
    core = root / "Sources" / f"{sdk.type_name}Core"
    for path, (original, drifted) in ((core / f"{sdk.type_name}Metadata.swift", LABEL),
                                      (core / "ImagePreprocessing.swift", LUMA)):
        text = path.read_text(encoding="utf-8")
        assert text.count(original) == 1, path
        path.write_text(text.replace(original, drifted), encoding="utf-8")
    built = swifttools.swift_build(root, work / "swiftpm")
    tested = swifttools.swift_test(root, work / "swiftpm") if built.returncode == 0 else built
    return DriftedPackage(sdk, built, tested)


def test_golden_tests_fail_when_a_label_drifts(drifted_package: DriftedPackage):
    """Control: the Swift golden tests are not vacuous: one changed label makes them fail."""
    assert drifted_package.build.returncode == 0, drifted_package.build.describe()
    tested = drifted_package.test
    summary = swifttools.xctest_summary(tested.output)
    assert tested.returncode != 0 and summary is not None and not summary.passed, tested.describe()
    assert "testLabelsOfLogitsRoundTripExactly' failed" in tested.output, tested.describe()


def test_a_failing_golden_check_names_the_case_and_the_difference(drifted_package: DriftedPackage):
    """What a CI log shows when pre-processing drifts: the test, the golden case and the difference."""
    assert drifted_package.build.returncode == 0, drifted_package.build.describe()
    sdk, tested = drifted_package.sdk, drifted_package.test
    assert tested.returncode != 0, tested.describe()
    case = sdk.golden.case_names[0]
    feature = sdk.inputs[0].feature_name
    failure = re.search(rf"test_{case}_preprocessing\W.*XCTAssertLessThanOrEqual failed: "
                        rf"\(\"(?P<difference>[^\"]+)\"\) is greater than \(\"[^\"]+\"\) - "
                        rf"{case} {feature}: largest difference", tested.output)
    assert failure is not None, tested.describe()
    assert float(failure.group("difference")) > sdk.golden.tensor_atol


def _callers(sdk: SdkContext) -> str:
    """Swift 6 callers of the Core ML layer as apps write them: from the main actor, from a
    capture callback on a queue the app owns, with Core ML prediction options."""
    t = sdk.type_name
    lines = ["import CoreML", "import CoreGraphics", "import CoreVideo", "import Foundation",
             "import ImageIO", f"import {t}", "",
             "@MainActor",
             "final class Screen {",
             "    var summary = \"\"",
             f"    func describe(_ model: {t}) async throws {{",
             "        // a closure written on the main actor is sent to the model",
             "        let prefix = summary",
             "        let described = await model.withModel { model in prefix + model.description }",
             "        summary = described",
             "    }",
             f"    func run(_ model: {t}, _ inputs: {t}Inputs) async throws -> {t}Outputs {{",
             "        let options = MLPredictionOptions()",
             "        return try await model.predict(inputs, options: options)",
             "    }"]
    if sdk.task == "image_classification":
        lines += [f"    func classify(_ model: {t}, _ image: CGImage) async throws -> [{t}Classification] {{",
                  "        try await model.classify(image, orientation: .right, topK: 3)",
                  "    }"]
    if sdk.task == "text_embedding":
        lines += [f"    func rank(_ model: {t}, _ notes: [String], _ query: String) async throws -> [Float] {{",
                  "        let embeddings = try await model.embed(notes)",
                  "        let target = try await model.embed(query, options: MLPredictionOptions())",
                  f"        return embeddings.map {{ {t}.cosineSimilarity(target, $0) }}",
                  "    }"]
    if sdk.task == "text_classification":
        lines += [f"    func classify(_ model: {t}, _ text: String) async throws -> [{t}Classification] {{",
                  "        try await model.classify(text, topK: 2)",
                  "    }"]
    lines += ["}", ""]
    if sdk.task == "image_classification":
        lines += [
            "/// What an AVCaptureVideoDataOutput delegate does on its capture queue.",
            "final class FrameHandler: @unchecked Sendable {",
            f"    let model: {t}",
            f"    init(model: {t}) {{ self.model = model }}",
            f"    func handle(_ frame: CVPixelBuffer) -> [{t}Classification] {{",
            "        (try? model.classifySynchronously(frame, orientation: .right, topK: 1)) ?? []",
            "    }",
            "}",
            "",
        ]
    return "\n".join(lines)


def test_apps_call_the_coreml_layer_in_swift6(ios_tree: RenderedTree, standin_modules: Path,
                                              tmp_path: Path):
    """withModel takes a @Sendable closure, predict takes MLPredictionOptions, camera frames have a
    synchronous entry point and an orientation: callers written as apps write them type-check."""
    modules = tmp_path / "modules"
    modules.mkdir()
    for standin in standin_modules.glob("*.swiftmodule"):
        (modules / standin.name).symlink_to(standin)
    name, root = ios_tree.sdk.type_name, ios_tree.root
    _emit_core(name, root, modules)
    _emit(name, root / "Sources" / name, modules, [swifttools.RESOURCE_ACCESSOR])
    callers = tmp_path / "Callers.swift"
    callers.write_text(_callers(ios_tree.sdk), encoding="utf-8")
    checked = swifttools.typecheck("App", [callers], modules, tmp_path)
    assert checked.returncode == 0 and not checked.output.strip(), checked.describe()
