"""Session-scoped iOS trees: each definition is rendered once and built once per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from text_trees import text_golden
from tooling import require_tool

from ios import fixtures, swifttools
from sdkgen.codegen.context import SdkContext

TREE_BUILDERS = {
    "digits": fixtures.digits_sdk,
    "hostile": fixtures.hostile_sdk,
    "tensor": fixtures.tensor_sdk,
}
# the tiny text encoder (tests/architectures/text_embedding): its real plan and eager golden
# vectors, rendered without an export
TEXT_TREES = ("text_encoder",)
# Real builds of the bundled examples (they export a model: slow): digits is the session's
# `digits_build` (both platforms, shared with other checks), mobilenet_v2 an iOS-only build.
EXAMPLE_TREES = ("example-digits", "example-mobilenet_v2")
SAMPLE_EXAMPLE = "example-mobilenet_v2"  # the realistic example, committed as ios-sample/


@dataclass(frozen=True)
class RenderedTree:
    name: str
    sdk: SdkContext
    root: Path  # the rendered Swift package (a build's ios/ folder)
    scratch: Path  # SwiftPM --scratch-path, outside the tree so the tree stays clean


@dataclass(frozen=True)
class BuiltPackage:
    tree: RenderedTree
    build: swifttools.Run
    test: swifttools.Run


_TREE_PARAMS = [*sorted(TREE_BUILDERS), *TEXT_TREES,
                *(pytest.param(name, marks=pytest.mark.slow) for name in EXAMPLE_TREES)]
_EXAMPLE_BUILDS: dict[str, RenderedTree] = {}


@pytest.fixture(scope="session", params=_TREE_PARAMS)
def ios_tree(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> RenderedTree:
    if request.param == "example-digits":  # the session's build of digits, both platforms
        build = request.getfixturevalue("digits_build")
        sdk, root = fixtures.example_ios_tree("digits", build.out_dir)
        return RenderedTree(name=request.param, sdk=sdk, root=root,
                            scratch=tmp_path_factory.mktemp("ios-example-digits") / "swiftpm")
    if request.param in EXAMPLE_TREES:
        return example_tree(request.param, tmp_path_factory)
    work = tmp_path_factory.mktemp(f"ios-{request.param}")
    if request.param in TEXT_TREES:
        text = text_golden(request.param, work / "golden")
        root = fixtures.render_ios_tree_from(text.sdk, text.golden, work)
        return RenderedTree(name=request.param, sdk=text.sdk, root=root, scratch=work / "swiftpm")
    sdk = TREE_BUILDERS[request.param]()
    root = fixtures.render_ios_tree(sdk, work)
    return RenderedTree(name=request.param, sdk=sdk, root=root, scratch=work / "swiftpm")


def example_tree(name: str, tmp_path_factory: pytest.TempPathFactory) -> RenderedTree:
    """The ios/ tree of one real example build, built at most once per session."""
    if name not in _EXAMPLE_BUILDS:
        work = tmp_path_factory.mktemp(f"ios-{name}")
        example = name.removeprefix("example-")
        sdk, root = fixtures.build_example_ios_tree(example, work / example)
        _EXAMPLE_BUILDS[name] = RenderedTree(name=name, sdk=sdk, root=root,
                                             scratch=work / "swiftpm")
    return _EXAMPLE_BUILDS[name]


@pytest.fixture(scope="session")
def built_package(ios_tree: RenderedTree) -> BuiltPackage:
    """`swift build --build-tests` then `swift test --skip-build`, once per tree."""
    require_tool("swift", "the generated Swift package is built and tested with SwiftPM")
    build = swifttools.swift_build(ios_tree.root, ios_tree.scratch)
    if build.returncode != 0:
        return BuiltPackage(ios_tree, build, build)
    return BuiltPackage(ios_tree, build, swifttools.swift_test(ios_tree.root, ios_tree.scratch))
