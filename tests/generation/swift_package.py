"""A Swift package of the generation core: the tokenizer and generation sources of ``<Name>Core``
and the generation tests, with a golden folder as test resources (runs on Linux).

The text feature's and the text-generation task's iOS templates are rendered together with a
hand-built context; only the platform-free parts (``Sources/<Name>Core``, the generation tests) go
into the package. The Core ML layer is type-checked separately against the stand-ins.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree
from sdkgen.codegen.templates import template_root

TEXT_IOS = template_root() / "features" / "text" / "ios"
GENERATION_IOS = template_root() / "tasks" / "text_generation" / "ios"
GENERATION_TESTS = ("GenerationGoldenTests.swift", "TokenGeneratorTests.swift")

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


def render_all(sdk: SdkContext, out: Path) -> Path:
    """Render the text feature and the generation overlay for iOS into ``out``."""
    render_tree(TEXT_IOS, sdk, out)
    render_tree(GENERATION_IOS, sdk, out)
    return out


def make_package(rendered: Path, sdk: SdkContext, golden: Path, out: Path) -> Path:
    """The Core package from a rendered tree, with ``golden`` as ``Resources/golden/generation``."""
    name = sdk.type_name
    shutil.copytree(rendered / "Sources" / f"{name}Core", out / "Sources" / f"{name}Core")
    tests = out / "Tests" / f"{name}CoreTests"
    tests.mkdir(parents=True)
    for test in GENERATION_TESTS:
        shutil.copyfile(rendered / "Tests" / f"{name}CoreTests" / test, tests / test)
    shutil.copytree(golden, tests / "Resources" / "golden" / "generation")
    (out / "Package.swift").write_text(_PACKAGE.replace("{name}", name), encoding="utf-8")
    return out
