"""A Swift package holding the text feature's Core files (the tokenizer) and its golden tests.

Until the build wires ``templates/features/text/ios`` into the generated iOS tree, the tests render
that folder with :func:`sdkgen.codegen.render.render_tree` and a hand-built context into a small
package of its own: the ``<Name>Core`` target with the tokenizer, and the ``<Name>CoreTests`` target
with the golden text files as resources (``Resources/golden/text``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree

TEXT_IOS_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "features" / "text" / "ios"
TOKENIZER_SOURCES = ("Sources", "{name}Core", "Tokenizer")

_PACKAGE = """// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "{name}",
    platforms: [.iOS("17.0"), .macOS("14.0")],
    products: [.library(name: "{name}Core", targets: ["{name}Core"])],
    targets: [
        .target(name: "{name}Core", swiftSettings: strict),
        .testTarget(
            name: "{name}CoreTests",
            dependencies: ["{name}Core"],
            resources: [.copy("Resources/golden")],
            swiftSettings: strict
        ),
        .executableTarget(name: "{name}TokenizerBench", dependencies: ["{name}Core"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
"""

_BENCH = """import Foundation
import {name}Core

// Usage: <tokenizer.json> <text file> <seconds>
// Encodes the text (no truncation, padding or special tokens) again and again for at least
// <seconds> and at least 3 times; prints: tokens <n> seconds <s> iterations <i> hash <h>
// (h: 31 * h + id over the ids in 32-bit arithmetic, to compare the ids with the reference)
let arguments = CommandLine.arguments
var tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: arguments[1]))
tokenizer.truncation = nil
tokenizer.padding = nil
let text = try String(contentsOfFile: arguments[2], encoding: .utf8)
let budget = Double(arguments[3])!
let ids = tokenizer.encode(text: text, addSpecialTokens: false).ids  // warm-up
let hash = ids.reduce(UInt32(0)) { $0 &* 31 &+ UInt32(truncatingIfNeeded: $1) }
var tokens = ids.count
let clock = ContinuousClock()
var iterations = 0
let start = clock.now
var elapsed = 0.0
while elapsed < budget || iterations < 3 {
    tokens = tokenizer.encode(text: text, addSpecialTokens: false).ids.count
    iterations += 1
    let duration = clock.now - start
    elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
print("tokens \\(tokens) seconds \\(elapsed) iterations \\(iterations) hash \\(hash)")
"""


def render_text_package(sdk: SdkContext, golden_files: list[Path], out: Path) -> Path:
    """Render the text feature into ``out`` as a package; copy ``golden_files`` into its resources."""
    render_tree(TEXT_IOS_TEMPLATES, sdk, out)
    name = sdk.type_name
    (out / "Package.swift").write_text(_PACKAGE.replace("{name}", name), encoding="utf-8")
    bench = out / "Sources" / f"{name}TokenizerBench"
    bench.mkdir(parents=True)
    (bench / "main.swift").write_text(_BENCH.replace("{name}", name), encoding="utf-8")
    golden = out / "Tests" / f"{name}CoreTests" / "Resources" / "golden" / "text"
    golden.mkdir(parents=True)
    for file in golden_files:
        shutil.copyfile(file, golden / file.name)
    return out


def tokenizer_sources(package: Path, sdk: SdkContext) -> Path:
    """The folder of the rendered tokenizer sources."""
    return package.joinpath(*(part.format(name=sdk.type_name) for part in TOKENIZER_SOURCES))
