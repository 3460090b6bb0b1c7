"""A Swift package of the generation core: the tokenizer and generation sources of ``<Name>Core``
and the generation and tokenizer golden tests, with a golden folder as test resources (runs on
Linux).

Only the platform-free parts of a built iOS tree (``Sources/<Name>Core``, those tests) go into the
package. The Core ML layer is type-checked separately against the stand-ins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sdkgen.codegen.context import SdkContext

GENERATION_TESTS = ("GenerationGoldenTests.swift", "TokenGeneratorTests.swift")
TOKENIZER_TEST = "TokenizerGoldenTests.swift"  # the text feature's, over golden/text/
TOKENIZER_TESTS = 3  # its test methods

_PACKAGE = """// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "{name}",
    platforms: [.iOS("18.0"), .macOS("15.0")],
    products: [.library(name: "{name}Core", targets: ["{name}Core"])],
    targets: [
        .target(name: "{name}Core", swiftSettings: strict),
        .testTarget(
            name: "{name}CoreTests",
            dependencies: ["{name}Core"],
            resources: [.copy("Resources/golden")],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
"""


def make_package(tree: Path, sdk: SdkContext, golden: Path, out: Path) -> Path:
    """The Core package from a built iOS tree, with ``golden`` (holding ``generation/`` and
    ``text/``) as the tests' ``Resources/golden``."""
    name = sdk.type_name
    shutil.copytree(tree / "Sources" / f"{name}Core", out / "Sources" / f"{name}Core")
    tests = out / "Tests" / f"{name}CoreTests"
    tests.mkdir(parents=True)
    for test in (*GENERATION_TESTS, TOKENIZER_TEST):
        shutil.copyfile(tree / "Tests" / f"{name}CoreTests" / test, tests / test)
    shutil.copytree(golden, tests / "Resources" / "golden")
    (out / "Package.swift").write_text(_PACKAGE.replace("{name}", name), encoding="utf-8")
    return out
