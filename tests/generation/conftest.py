"""Session fixtures of the generation checks: the golden folder and the hand-built SDK context."""

from __future__ import annotations

from pathlib import Path

import pytest

from generation.contexts import MODEL_TEMPLATE, generation_sdk, reduced, write_golden_folder
from sdkgen.codegen.context import SdkContext


@pytest.fixture(scope="session")
def golden_generation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Every generation golden file (six real templates, the model's file) and the case counts."""
    directory = tmp_path_factory.mktemp("golden") / "generation"
    counts = write_golden_folder(directory)
    return directory, counts


@pytest.fixture(scope="session")
def text_generation_sdk() -> SdkContext:
    """A hand-built text-generation context whose chat template is a real one (Qwen2's ChatML)."""
    return generation_sdk(reduced(MODEL_TEMPLATE))


@pytest.fixture(scope="session")
def android_generation(text_generation_sdk: SdkContext, tmp_path_factory: pytest.TempPathFactory):
    """The text-generation Android tree, compiled once (library, then tests) for every check."""
    from android.conftest import require_junit, require_kotlin

    from generation.android_build import build

    kotlin = require_kotlin()
    junit = require_junit()
    return build(text_generation_sdk, tmp_path_factory.mktemp("android-generation"), kotlin, junit)
