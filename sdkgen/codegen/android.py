"""The Android platform: pinned toolchain versions and where a build's files go in the Gradle tree.

The generated project (``templates/android/``) is a Gradle build with two modules: the SDK library
``<module_name>/`` and a Compose sample app ``sample/``. The exported ``.pte`` becomes an asset of
the library; the golden vectors are copied twice, as JVM test resources (unit tests) and as
instrumented-test assets (the on-device model test).
"""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path, PurePosixPath

from sdkgen.codegen.context import AndroidToolchain, SdkContext
from sdkgen.codegen.platforms import PlatformLayout, register_platform
from sdkgen.errors import CodegenError

ANDROID_TOOLCHAIN = AndroidToolchain(
    # AGP 9.2 release notes (developer.android.com/build/releases/agp-9-2-0-release-notes):
    # minimum and default Gradle 9.4.1, max API 36.1, JDK 17; 9.2.1 is the current patch
    # (com.android.tools.build:gradle:9.2.1 on Google Maven).
    agp="9.2.1",
    gradle="9.4.1",
    # Kotlin 2.4.0, released 2026-06-03 (plugins.gradle.org, org.jetbrains.kotlin.plugin.compose
    # 2.4.0); the Compose compiler Gradle plugin is versioned with Kotlin.
    kotlin="2.4.0",
    # developer.android.com/develop/ui/compose/bom: compose-bom 2026.04.01.
    compose_bom="2026.04.01",
    # developer.android.com/jetpack/androidx/releases/activity: 1.13.0 stable (2026-09-09).
    activity_compose="1.13.0",
    # developer.android.com/jetpack/androidx/releases/lifecycle: 2.10.0 stable (2025-11-19).
    lifecycle="2.10.0",
    # developer.android.com/jetpack/androidx/releases/test: ext-junit 1.3.0, runner 1.7.0 stable.
    androidx_test_junit="1.3.0",
    androidx_test_runner="1.7.0",
    junit="4.13.2",
    # Play requires targetSdk 36 for new apps and updates from 2026-08-31; AGP 9.2 supports 36.
    compile_sdk=36,
    target_sdk=36,
    # org.pytorch:executorch-android 1.5.1 on Maven Central (there is no 1.5.0) is the runtime of
    # the executorch 1.5.1 exporter pinned in pyproject.toml. runtime/COMPATIBILITY.md
    # (pytorch/executorch): a .pte runs on a runtime of the same release or of at least the next
    # minor release; older runtimes are not guaranteed to load newer .pte files, so the runtime
    # must be >= the exporter.
    executorch_android="1.5.1",
    # extension/android/executorch_android/build.gradle (pytorch/executorch): minSdk = 23.
    min_sdk_floor=23,
    # docs/source/using-executorch-android.md: the AAR ships arm64-v8a and x86_64.
    abi_filters=("arm64-v8a", "x86_64"),
    # github.com/Kotlin/kotlinx.coroutines releases: 1.10.2 (kotlinx-coroutines-android).
    coroutines="1.10.2",
    # developer.android.com/jetpack/androidx/releases/camera: camera-core/-camera2/-lifecycle/-view
    # 1.6.2 stable (page updated 2026-10-21); ImageProxy.toBitmap() since 1.3.0.
    camerax="1.6.2",
    # developer.android.com/jetpack/androidx/releases/exifinterface: 1.4.1 stable;
    # ExifInterface(InputStream) and getRotationDegrees().
    exifinterface="1.4.1",
)

SAMPLE_MODULE = "sample"


def check_android_context(sdk: SdkContext) -> None:
    """Refuse settings the pinned runtime cannot honour, with a message that says what to change."""
    android = sdk.android
    floor = android.runtime.min_sdk_floor
    if android.min_sdk < floor:
        raise CodegenError(
            f"platforms.android.min_sdk is {android.min_sdk}, but "
            f"{android.runtime.library.coordinates} {android.runtime.library.version} needs {floor}",
            hint=f"set platforms.android.min_sdk to {floor} or higher",
        )
    if android.module_name == SAMPLE_MODULE:
        raise CodegenError(
            f"the Android library module may not be named {SAMPLE_MODULE!r}: "
            "the sample app uses that name",
            hint="rename the model",
        )


def _model_destination(sdk: SdkContext) -> PurePosixPath:
    check_android_context(sdk)
    return PurePosixPath(sdk.android.module_name, "src", "main", "assets", sdk.android.model_asset)


def _golden_destinations(sdk: SdkContext) -> tuple[PurePosixPath, ...]:
    module = PurePosixPath(sdk.android.module_name)
    return (
        module / "src" / "test" / "resources" / "golden",
        module / "src" / "androidTest" / "assets" / "golden",
    )


def labels_resource(labels: tuple[str, ...]) -> bytes:
    """Labels as the generated Kotlin reads them from a resource: a big-endian int32 count, then
    per label a big-endian int32 byte length and its UTF-8 bytes (any text round-trips)."""
    parts = [struct.pack(">i", len(labels))]
    for label in labels:
        encoded = label.encode("utf-8")
        parts += [struct.pack(">i", len(encoded)), encoded]
    return b"".join(parts)


def labels_resource_path(sdk: SdkContext, feature_name: str) -> PurePosixPath:
    package = PurePosixPath(*sdk.android.package.split("."))
    return PurePosixPath(sdk.android.module_name, "src", "main", "resources", package,
                         f"{feature_name}.labels")


def _artifact_files(sdk: SdkContext, model: Path) -> dict[PurePosixPath, bytes]:
    """The model's SHA-256 beside the asset (so create() never hashes the model), the label
    resources of classification outputs too large for a source literal and the tokenizers of
    text inputs."""
    with model.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    files = {_model_destination(sdk).with_name(sdk.android.model_asset + ".sha256"): digest.encode()}
    for item in sdk.app_inputs:
        if item.text is not None:  # the tokenizer, read by <Name>Spec as a resource beside it
            files[labels_resource_path(sdk, "").with_name(item.text.tokenizer_resource)] = Path(
                item.text.tokenizer_path).read_bytes()
    for output in sdk.outputs:
        if output.classification is not None and not output.classification.labels_in_source:
            files[labels_resource_path(sdk, output.feature_name)] = labels_resource(
                output.classification.labels)
    return files


ANDROID_LAYOUT = register_platform(
    PlatformLayout(
        name="android",
        model_destination=_model_destination,
        golden_destinations=_golden_destinations,
        artifact_files=_artifact_files,
        runtime=lambda sdk: sdk.android.runtime.name,
    )
)
