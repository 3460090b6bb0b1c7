"""Shared fixtures: one real build of the small bundled example per test session."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sdkgen.examples import example_path

REPO = Path(__file__).resolve().parents[1]


def tree_digest(root: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# `scripts/test.sh` runs the suite on several pytest-xdist workers. Each worker builds the session
# fixtures its tests ask for, so the tests that share an expensive one go to the same worker as
# one unit of work: the tiny language model's build, and the Android and the iOS checks (their
# Kotlin and Swift toolchain set-ups). Every other test file is a unit of its own.
_WORK_UNITS = {
    "tests/generation/": "tiny-generation-build",
    "tests/test_bench_llm.py": "tiny-generation-build",
    "tests/test_text_generation_build.py": "tiny-generation-build",
    "tests/android/": "android",
    "tests/ios/": "ios",
}


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: a group above, else its file."""
    path = nodeid.split("::", 1)[0]
    for prefix, unit in _WORK_UNITS.items():
        if path.startswith(prefix):
            return unit
    return path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return WorkUnitScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _private_build_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """`sdkgen build` on the command line caches by default: keep the tests' cache to themselves."""
    import os

    os.environ["SDKGEN_BUILD_CACHE"] = str(tmp_path_factory.mktemp("build-cache"))


@pytest.fixture(scope="session")
def digits_spec() -> Path:
    return example_path("digits") / "sdkgen.yaml"


@pytest.fixture(scope="session")
def digits_build(tmp_path_factory: pytest.TempPathFactory, digits_spec: Path):
    """``sdkgen build`` of the digits example for both platforms (about 15 s)."""
    from sdkgen.pipeline import build

    out = tmp_path_factory.mktemp("digits-build") / "digits"
    return build(digits_spec, out_dir=out)


@pytest.fixture(scope="session")
def tiny_generation_build(tmp_path_factory: pytest.TempPathFactory):
    """``sdkgen build --platform all`` of a tiny random-weight Qwen3 (``llm_models``): both
    exports, golden files and the android/ and ios/ trees the generation checks compile and test."""
    from llm_models import BOTH_PLATFORMS, GenerationBuild, build_definition, tiny_definition

    root = tmp_path_factory.mktemp("tiny-generation")
    spec = tiny_definition("qwen3", root, BOTH_PLATFORMS)
    return GenerationBuild(spec, root / "build", build_definition(spec, root / "build", "all"))


@pytest.fixture(scope="session")
def standin_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CoreML/CoreGraphics/CoreVideo/VideoToolbox stand-ins, compiled to .swiftmodule files
    once per session (the iOS and the generation checks type-check against them)."""
    from ios import swifttools
    from tooling import require_tool

    require_tool("swiftc", "the Core ML layer is type-checked against stand-in modules")
    out = tmp_path_factory.mktemp("standins")
    for built in swifttools.build_standins(out):
        assert built.returncode == 0, built.describe()
    return out


@pytest.fixture(scope="session")
def kotlin_standins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Android, AndroidX, Compose and ExecuTorch stand-ins (``tests/android/standins``),
    compiled once per session (the Android and the generation checks compile against them)."""
    from android.conftest import compile_standins, require_junit, require_kotlin

    out = tmp_path_factory.mktemp("kotlin-standins")
    compile_standins(require_kotlin(), require_junit(), out)
    return out
