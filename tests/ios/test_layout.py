"""The iOS layout and rendering, without the Swift toolchain."""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import pytest

from ios import fixtures
from ios.conftest import RenderedTree
from sdkgen.codegen import naming
from sdkgen.codegen.ios import IOS_LAYOUT, check_ios_context
from sdkgen.errors import CodegenError


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_model_and_golden_land_where_the_package_expects_them(ios_tree: RenderedTree):
    sdk = ios_tree.sdk
    model = ios_tree.root / IOS_LAYOUT.model_destination(sdk).as_posix()
    assert model == ios_tree.root / "Sources" / sdk.type_name / "Resources" / sdk.ios.model_resource
    assert (model / "Manifest.json").is_file()
    # ExecuTorch's debug-handle map is not part of the Core ML model: not shipped in the app
    assert not (model / "executorch_debug_handle_mapping.json").exists()
    assert sorted(p.name for p in model.iterdir()) == ["Data", "Manifest.json"]
    package_swift = (ios_tree.root / "Package.swift").read_text(encoding="utf-8")
    assert naming.swift_string(f"Resources/{sdk.ios.model_resource}") in package_swift
    destinations = IOS_LAYOUT.golden_destinations(sdk)
    assert destinations == (
        PurePosixPath("Tests", f"{sdk.type_name}CoreTests", "Resources", "golden"),
        PurePosixPath("Tests", f"{sdk.type_name}Tests", "Resources", "golden"),
    )
    for destination in destinations:
        assert (ios_tree.root / destination.as_posix() / "manifest.json").is_file()


def test_rendering_is_deterministic(tmp_path: Path):
    sdk = fixtures.hostile_sdk()
    first = fixtures.render_ios_tree(sdk, tmp_path / "first")
    second = fixtures.render_ios_tree(sdk, tmp_path / "second")
    first_bytes, second_bytes = _tree_bytes(first), _tree_bytes(second)
    assert first_bytes == second_bytes
    assert not any(str(tmp_path).encode() in content for content in first_bytes.values())


def test_no_placeholders_or_todos_in_generated_sources(ios_tree: RenderedTree):
    for path in ios_tree.root.rglob("*"):
        if path.suffix in {".swift", ".md", ".pbxproj"}:
            text = path.read_text(encoding="utf-8")
            assert "TODO" not in text and "{{" not in text and "{%" not in text, path


def test_minimum_ios_below_the_floor_is_refused():
    sdk = fixtures.digits_sdk()
    old = dataclasses.replace(sdk, ios=dataclasses.replace(sdk.ios, minimum_version="16.4"))
    with pytest.raises(CodegenError, match=r"minimum_version is 16\.4.*iOS 17\.0"):
        check_ios_context(old)
    with pytest.raises(CodegenError, match="minimum_version"):
        IOS_LAYOUT.model_destination(old)


def test_model_resource_must_be_a_plain_mlpackage_name():
    sdk = fixtures.digits_sdk()
    nested = dataclasses.replace(sdk, ios=dataclasses.replace(sdk.ios, model_resource="a/b.mlpackage"))
    with pytest.raises(CodegenError, match="plain file name"):
        check_ios_context(nested)


def test_every_public_declaration_has_a_doc_comment(ios_tree: RenderedTree):
    sources = [p for folder in ("Sources", "Tests") for p in (ios_tree.root / folder).rglob("*.swift")]
    assert sources
    undocumented = []
    for path in sources:
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if not line.lstrip().startswith(("public ", "open ")):
                continue
            previous = number - 1
            while previous >= 0 and lines[previous].lstrip().startswith("@"):
                previous -= 1
            if previous < 0 or not lines[previous].lstrip().startswith("///"):
                undocumented.append(f"{path.relative_to(ios_tree.root)}:{number + 1}: {line.strip()}")
    assert undocumented == []
