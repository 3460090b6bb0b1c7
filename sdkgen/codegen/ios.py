"""The iOS platform: where a build's files go in the generated Swift package.

The generated tree (``templates/ios/``) is a Swift package with two library targets, ``<Name>Core``
(Foundation-only pre/post-processing, builds and tests on Linux) and ``<Name>`` (the Core ML layer),
plus a SwiftUI sample app under ``App/`` whose Xcode project depends on the package by relative
path. The exported ``.mlpackage`` is a resource of the ``<Name>`` target, copied unprocessed and
compiled on the device at first use (see the generated README for why); the golden vectors are
copied twice, as resources of the Core golden tests and of the Core ML model tests.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.platforms import PlatformLayout, register_platform
from sdkgen.errors import CodegenError

# The generated Core ML layer calls MLModel's async prediction(from:options:) (developer.apple.com
# /documentation/coreml/mlmodel/prediction(from:options:)-3vg03: iOS 17.0+), and the sample app
# uses the Observation framework's @Observable (iOS 17.0+).
MINIMUM_IOS_FLOOR = (17, 0)
MODEL_SUFFIX = ".mlpackage"
# Written into the .mlpackage folder beside Manifest.json when ExecuTorch is installed
# (coremltools 9.0 + executorch 1.5.1): ExecuTorch's Core ML debug-handle map. Core ML does not read
# it (Manifest.json does not list it); it stays in the build's artifacts/ copy, not in the app.
MODEL_EXCLUDES = ("executorch_debug_handle_mapping.json",)


def _version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        raise CodegenError(
            f"platforms.ios.minimum_version {text!r} is not a version like \"17.0\"",
            hint="write the minimum iOS version as digits and dots, e.g. \"17.0\"",
        ) from None


def check_ios_context(sdk: SdkContext) -> None:
    """Refuse settings the generated Swift code cannot honour, with a message that says what to change."""
    ios = sdk.ios
    if _version_tuple(ios.minimum_version) < MINIMUM_IOS_FLOOR:
        floor = ".".join(str(part) for part in MINIMUM_IOS_FLOOR)
        raise CodegenError(
            f"platforms.ios.minimum_version is {ios.minimum_version}, but the generated package "
            f"needs iOS {floor} (Core ML's async prediction, @Observable)",
            hint=f"set platforms.ios.minimum_version to \"{floor}\" or higher",
        )
    resource = PurePosixPath(ios.model_resource)
    if resource.name != ios.model_resource or not resource.name.endswith(MODEL_SUFFIX):
        raise CodegenError(
            f"platforms.ios model resource {ios.model_resource!r} must be a plain file name "
            f"ending in {MODEL_SUFFIX}",
        )


def package_target_dir(sdk: SdkContext) -> PurePosixPath:
    """The folder of the Core ML target inside the package, ``Sources/<Name>``."""
    return PurePosixPath("Sources", sdk.type_name)


def _model_destination(sdk: SdkContext) -> PurePosixPath:
    check_ios_context(sdk)
    return package_target_dir(sdk) / "Resources" / sdk.ios.model_resource


def _golden_destinations(sdk: SdkContext) -> tuple[PurePosixPath, ...]:
    return (
        PurePosixPath("Tests", f"{sdk.type_name}CoreTests", "Resources", "golden"),
        PurePosixPath("Tests", f"{sdk.type_name}Tests", "Resources", "golden"),
    )


def core_resources_dir(sdk: SdkContext) -> PurePosixPath:
    """The resources folder of the pure ``<Name>Core`` target (tokenizers of text inputs)."""
    return PurePosixPath("Sources", f"{sdk.type_name}Core", "Resources")


def _artifact_files(sdk: SdkContext, model: Path) -> dict[PurePosixPath, bytes]:
    """The tokenizers of text inputs, resources of the Core target (read with ``Bundle.module``)."""
    return {core_resources_dir(sdk) / item.text.tokenizer_resource:
            Path(item.text.tokenizer_path).read_bytes()
            for item in sdk.app_inputs if item.text is not None}


IOS_LAYOUT = register_platform(
    PlatformLayout(
        name="ios",
        model_destination=_model_destination,
        golden_destinations=_golden_destinations,
        artifact_files=_artifact_files,
        model_excludes=MODEL_EXCLUDES,
    )
)
