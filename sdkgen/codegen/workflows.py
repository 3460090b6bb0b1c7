"""GitHub Actions workflows for the generated trees: pinned actions, runners and where they go.

A build writes, next to ``android/`` and ``ios/``, one workflow per built platform under
``.github/workflows/`` (``templates/workflows/<platform>/``), so a repository whose root is the
build folder runs them as is. The workflows prove on GitHub's runners what this machine cannot: the
model on an Android emulator and an iOS simulator against the golden outputs.

Every third-party action is pinned to a full commit SHA. Each SHA below was checked against
several independent public workflows and pin lists that name the same release (see the comments);
none was taken from memory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree
from sdkgen.codegen.templates import template_root
from sdkgen.errors import CodegenError

_COMMIT = re.compile(r"[0-9a-f]{40}")
_VERSION = re.compile(r"v\d+(\.\d+)*")


@dataclass(frozen=True)
class PinnedAction:
    """A GitHub Action at one immutable commit; ``version`` is the release tag of that commit."""

    repository: str  # "actions/checkout", or "owner/repo/path" for an action in a subfolder
    commit: str  # full 40-hex-digit commit SHA
    version: str  # the release tag that points at ``commit``, e.g. "v7.0.1"

    def __post_init__(self) -> None:
        if not _COMMIT.fullmatch(self.commit) or not _VERSION.fullmatch(self.version):
            raise ValueError(f"{self.repository}: pin a full commit SHA and a vX.Y.Z release")

    @property
    def pinned(self) -> str:
        """The ``uses:`` value with the release as a trailing YAML comment."""
        return f"{self.repository}@{self.commit} # {self.version}"


@dataclass(frozen=True)
class CiActions:
    checkout: PinnedAction
    setup_java: PinnedAction
    setup_gradle: PinnedAction
    cache: PinnedAction
    upload_artifact: PinnedAction
    android_emulator_runner: PinnedAction


@dataclass(frozen=True)
class CiToolchain:
    """What the generated workflows run on; templates read it as ``sdk.ci``."""

    actions: CiActions
    linux_runner: str  # GitHub-hosted runner label of the Android jobs (KVM for the emulator)
    macos_runner: str  # GitHub-hosted runner label of the iOS job
    jdk: str  # Temurin JDK major version for Gradle / AGP
    emulator_arch: str  # system image ABI; one of the ABIs the ExecuTorch AAR ships
    emulator_target: str  # system image flavour, available for every API level the SDK allows
    xcode: str  # Xcode version; its app is /Applications/Xcode_<xcode>.app on the runner image
    simulator: str  # iOS simulator device of that Xcode
    simulator_os: str  # iOS runtime of that simulator


CI_TOOLCHAIN = CiToolchain(
    actions=CiActions(
        # github/gh-aw .github/aw/actions-lock.json, and pin tables verified with git ls-remote
        # (lightweight tag v7.0.1 -> this commit, checked 2026-10-03)
        checkout=PinnedAction("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
        # github/gh-aw actions-lock.json; release page table actions/setup-java v6.0.1
        setup_java=PinnedAction(
            "actions/setup-java", "de7274f081f381c8f8158605e0321c36c376e2e6", "v6.0.1"
        ),
        # v6.4.0 (2026-09-28) is an annotated tag (object b9bee63e...); this is the commit it
        # dereferences to (refs/tags/v6.4.0^{}). v6.1.0 added the MIT "basic" cache provider.
        setup_gradle=PinnedAction(
            "gradle/actions/setup-gradle", "3f5f9adaf7d9fecd50b5935e54106014257a94e6", "v6.4.0"
        ),
        # github/gh-aw actions-lock.json and pin tables verified with git ls-remote
        cache=PinnedAction("actions/cache", "55cc8345863c7cc4c66a329aec7e433d2d1c52a9", "v6.1.0"),
        upload_artifact=PinnedAction(
            "actions/upload-artifact", "043fb46d1a93c77aae656e7c1c64a875d1fc6a0a", "v7.0.1"
        ),
        # "official latest" in several pin tables; annotated tag object 4c44018e... -> this commit
        android_emulator_runner=PinnedAction(
            "reactivecircus/android-emulator-runner", "a421e43855164a8197daf9d8d40fe71c6996bb0d",
            "v2.38.0",
        ),
    ),
    # ubuntu runners have KVM (the emulator runner's README recommends them over macOS)
    linux_runner="ubuntu-24.04",
    # actions/runner-images macos-26-arm64-Readme.md (image 20260610): Xcode 26.5 (default) at
    # /Applications/Xcode_26.5.app, iOS 26.5 simulators including iPhone 17
    macos_runner="macos-26",
    # AGP 9.2 runs on JDK 17 or newer
    jdk="17",
    emulator_arch="x86_64",
    # google_apis x86_64 system images exist for every API level from 23 (the ExecuTorch floor) on
    emulator_target="google_apis",
    xcode="26.5",
    simulator="iPhone 17",
    simulator_os="26.5",
)

WORKFLOW_DIR = PurePosixPath(".github", "workflows")


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def check_workflow_context(sdk: SdkContext, platform: str) -> None:
    """Refuse settings the pinned CI cannot run, with the field to change."""
    if platform == "ios" and _version(sdk.ios.minimum_version) > _version(sdk.ci.simulator_os):
        raise CodegenError(
            f"platforms.ios.minimum_version {sdk.ios.minimum_version} is newer than iOS "
            f"{sdk.ci.simulator_os}, the simulator of the generated workflow (Xcode {sdk.ci.xcode})",
            hint=f"set platforms.ios.minimum_version to {sdk.ci.simulator_os} or lower",
        )


def workflow_template_root(platform: str) -> Path:
    root = template_root() / "workflows" / platform
    if not root.is_dir():
        raise CodegenError(f"no workflow templates for platform {platform!r} (looked in {root})")
    return root


def generate_workflows(
    sdk: SdkContext, platforms: tuple[str, ...], out_dir: Path
) -> list[PurePosixPath]:
    """Write ``.github/workflows/<platform>.yml`` under ``out_dir`` for each of ``platforms``.

    ``out_dir`` is the build folder holding the platform trees; only the platforms given (those
    that were built) get a workflow, so no workflow points at a missing tree.
    """
    written: list[PurePosixPath] = []
    for platform in sorted(platforms):
        check_workflow_context(sdk, platform)
        written += render_tree(workflow_template_root(platform), sdk, out_dir)
    return sorted(written)
