"""The sample app's generated project.pbxproj: a well-formed Xcode 16 project (objectVersion 77,
synchronized folder) whose local package reference resolves to the generated package."""

from __future__ import annotations

from ios import pbxproj
from ios.conftest import RenderedTree


def _project(tree: RenderedTree) -> pbxproj.Project:
    path = tree.root / "App" / f"{tree.sdk.type_name}Sample.xcodeproj" / "project.pbxproj"
    return pbxproj.load(path)


def test_object_ids_are_unique_and_every_reference_resolves(ios_tree: RenderedTree):
    project = _project(ios_tree)
    assert project.text.startswith("// !$*UTF8*$!\n")
    assert pbxproj.duplicate_ids(project) == []
    assert pbxproj.dangling_references(project) == []
    assert len(project.objects) == len(pbxproj._DEFINITION.findall(project.text))


def test_root_object_is_an_xcode16_project(ios_tree: RenderedTree):
    project = _project(ios_tree)
    assert project.document["objectVersion"] == "77"
    root = project.root
    assert root["isa"] == "PBXProject"
    assert root["preferredProjectObjectVersion"] == "77"
    [target] = [project.objects[t] for t in root["targets"]]
    assert target["isa"] == "PBXNativeTarget"
    assert target["productType"] == "com.apple.product-type.application"
    [group] = [project.objects[g] for g in target["fileSystemSynchronizedGroups"]]
    assert group["isa"] == "PBXFileSystemSynchronizedRootGroup"
    sources = project.path.parent.parent / group["path"]
    app_sources = {p.name for p in sources.glob("*.swift")}
    assert {"ContentView.swift", "SampleModel.swift",
            f"{ios_tree.sdk.type_name}SampleApp.swift"} <= app_sources
    if ios_tree.sdk.task == "image_classification":  # the live camera mode
        assert {"CameraFeed.swift", "CameraPreview.swift"} <= app_sources


def test_package_reference_resolves_to_the_generated_package(ios_tree: RenderedTree):
    project = _project(ios_tree)
    assert project.objects and project.root
    assert pbxproj.local_package_directories(project) == [ios_tree.root.resolve()]
    assert (ios_tree.root / "Package.swift").is_file()
    [dependency] = project.of_isa("XCSwiftPackageProductDependency")
    assert dependency["productName"] == ios_tree.sdk.type_name
    assert project.objects[dependency["package"]]["isa"] == "XCLocalSwiftPackageReference"
    package_swift = (ios_tree.root / "Package.swift").read_text(encoding="utf-8")
    assert f'.library(name: "{ios_tree.sdk.type_name}", targets:' in package_swift
    [target] = project.of_isa("PBXNativeTarget")
    dependency_id = target["packageProductDependencies"][0]
    [frameworks] = project.of_isa("PBXFrameworksBuildPhase")
    [linked] = [project.objects[f] for f in frameworks["files"]]
    assert linked["productRef"] == dependency_id


def test_build_settings_carry_the_definition(ios_tree: RenderedTree):
    project = _project(ios_tree)
    sdk = ios_tree.sdk
    configurations = project.of_isa("XCBuildConfiguration")
    assert {c["buildSettings"]["IPHONEOS_DEPLOYMENT_TARGET"] for c in configurations
            if "IPHONEOS_DEPLOYMENT_TARGET" in c["buildSettings"]} == {sdk.ios.minimum_version}
    app_settings = [c["buildSettings"] for c in configurations
                    if "PRODUCT_BUNDLE_IDENTIFIER" in c["buildSettings"]]
    assert len(app_settings) == 2
    for settings in app_settings:
        assert settings["PRODUCT_BUNDLE_IDENTIFIER"] == sdk.ios.bundle_identifier
        assert settings["INFOPLIST_KEY_CFBundleDisplayName"] == sdk.display_name
        assert settings["SWIFT_VERSION"] == "6.0"
