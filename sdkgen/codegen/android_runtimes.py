"""The runtimes an Android SDK can ship: what the generated Gradle module depends on and loads.

``platforms.android.runtime`` picks one (``executorch`` by default). The plan carries its
:class:`AndroidRuntime` (``sdk.android.runtime``); the templates read its data (Maven libraries,
asset extension, the Kotlin class that loads the model) and the runtime's own files come from the
template overlay ``templates/runtimes/<name>/android/`` (the ``ModelRuntime`` implementation and
the options class), so no template branches on the runtime's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdkgen.codegen.android import ANDROID_TOOLCHAIN
from sdkgen.errors import CodegenError


@dataclass(frozen=True)
class MavenLibrary:
    """One Maven dependency of the generated library module, as a version-catalog entry."""

    alias: str  # catalog alias, e.g. "executorch-android" (accessor libs.executorch.android)
    group: str
    name: str
    version_ref: str  # the catalog's [versions] key
    version: str
    purpose: str  # one line for the README's version table

    @property
    def coordinates(self) -> str:
        return f"{self.group}:{self.name}"

    @property
    def accessor(self) -> str:
        """The Gradle accessor of the alias: ``libs.<accessor>``."""
        return self.alias.replace("-", ".")


@dataclass(frozen=True)
class AndroidRuntime:
    name: str  # "executorch", "litert": also the overlay folder templates/runtimes/<name>/
    display_name: str  # "ExecuTorch", "LiteRT"
    model_kind: str  # what the asset is, in prose: "ExecuTorch program"
    model_noun: str  # the same with how it runs: "ExecuTorch program (XNNPACK)"
    asset_extension: str  # of the model asset, without the dot: "pte", "tflite"
    loader: str  # the Kotlin object implementing ModelRuntime.Loader, from the overlay
    libraries: tuple[MavenLibrary, ...]  # the runtime's Maven dependencies, the first the runtime
    min_sdk_floor: int  # the highest minSdk among the runtime's AARs
    abi_filters: tuple[str, ...]  # ABIs the test and sample APKs package

    @property
    def library(self) -> MavenLibrary:
        """The runtime library itself."""
        return self.libraries[0]


EXECUTORCH = AndroidRuntime(
    name="executorch",
    display_name="ExecuTorch",
    model_kind="ExecuTorch program",
    model_noun="ExecuTorch program (XNNPACK)",
    asset_extension="pte",
    loader="ExecuTorchRuntime",
    libraries=(
        # the version, minSdk and ABIs are ANDROID_TOOLCHAIN's (sdkgen/codegen/android.py, with
        # their sources there)
        MavenLibrary(alias="executorch-android", group="org.pytorch", name="executorch-android",
                     version_ref="executorch", version=ANDROID_TOOLCHAIN.executorch_android,
                     purpose="runtime"),
    ),
    min_sdk_floor=ANDROID_TOOLCHAIN.min_sdk_floor,
    abi_filters=ANDROID_TOOLCHAIN.abi_filters,
)

# LiteRT 2.3.0 (Google Maven, October 2026), the release of the ai-edge-litert 2.3.0 runtime the
# .tflite is verified with on the host. developers.google.com/edge/litert/next/android_kotlin:
# `com.google.ai.edge.litert:litert:2.3.0` (the CompiledModel API, CPU through XNNPACK) and, for
# the GPU accelerator, `com.google.ai.edge.litert:litert-gpu:2.3.0`: from 2.3.0 the GPU
# accelerator is that second artifact, without which CompiledModel.Options(Accelerator.GPU)
# throws (developer.android.com/agents/skills/device-ai/litert/litert-runtime/skill).
LITERT_VERSION = "2.3.0"
LITERT = AndroidRuntime(
    name="litert",
    display_name="LiteRT",
    model_kind="LiteRT model",
    model_noun="LiteRT model (`.tflite`, CompiledModel API: CPU through XNNPACK, or GPU)",
    asset_extension="tflite",
    loader="LiteRtRuntime",
    libraries=(
        MavenLibrary(alias="litert", group="com.google.ai.edge.litert", name="litert",
                     version_ref="litert", version=LITERT_VERSION, purpose="runtime"),
        MavenLibrary(alias="litert-gpu", group="com.google.ai.edge.litert", name="litert-gpu",
                     version_ref="litert", version=LITERT_VERSION,
                     purpose="GPU accelerator, for `Accelerator.GPU`"),
    ),
    # "minSdk must be 24 or higher, as declared by the LiteRT 2.3.0 AARs" (the litert-runtime
    # skill page above).
    min_sdk_floor=24,
    # the LiteRT AAR ships every Android ABI (developers.google.com/edge/litert/android/development):
    # package the same two as the ExecuTorch trees (devices and the x86_64 emulator).
    abi_filters=("arm64-v8a", "x86_64"),
)

_RUNTIMES = {runtime.name: runtime for runtime in (EXECUTORCH, LITERT)}


def android_runtime(name: str) -> AndroidRuntime:
    """The Android runtime called ``name`` (``platforms.android.runtime``)."""
    try:
        return _RUNTIMES[name]
    except KeyError:
        raise CodegenError(
            f"no Android runtime named {name!r}", hint=f"use one of {', '.join(sorted(_RUNTIMES))}"
        ) from None
