"""Session fixtures of the generation checks: the golden folders and the built SDK trees.

The Kotlin and Swift checks run on the trees of a real build (``tiny_generation_build``, a tiny
random-weight model built for both platforms once per session); their golden resources are the
build's own (``golden/generation/model.json`` with eager PyTorch's greedy continuations,
``golden/text/``) plus the hand-built chat-template files (six real templates and a hostile one),
which the SDK's golden tests read with the pieces of each file.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generation.contexts import write_golden_folder
from sdkgen.codegen.context import SdkContext
from sdkgen.generation.golden import MODEL_FILE, read_generation_golden


@pytest.fixture(scope="session")
def golden_generation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Every hand-built generation golden file (six real templates, a model file) and the case counts."""
    directory = tmp_path_factory.mktemp("golden") / "generation"
    counts = write_golden_folder(directory)
    return directory, counts


@dataclass(frozen=True)
class BuiltGeneration:
    """A built tree's SDK context and the golden resources its tests run on."""

    sdk: SdkContext
    android: Path  # the build's android/ tree
    ios: Path  # the build's ios/ tree
    resources: Path  # holds golden/generation/ and golden/text/
    counts: dict[str, int]  # generation cases per kind under golden/generation/
    text_cases: int  # encode and stream cases under golden/text/


def _counts(document: dict[str, object]) -> dict[str, int]:
    return {key.removesuffix("_cases"): len(value)  # type: ignore[arg-type]
            for key, value in document.items() if key.endswith("_cases")}


@pytest.fixture(scope="session")
def built_generation(tiny_generation_build, golden_generation: tuple[Path, dict[str, int]],
                     tmp_path_factory: pytest.TempPathFactory) -> BuiltGeneration:
    import json

    build = tiny_generation_build
    resources = tmp_path_factory.mktemp("generation-resources")
    shutil.copytree(build.out / "golden", resources / "golden")
    generation = resources / "golden" / "generation"
    counts = _counts(read_generation_golden(generation / MODEL_FILE))
    hand_built, _ = golden_generation
    for path in sorted(hand_built.glob("template-*.json")):
        shutil.copyfile(path, generation / path.name)
        for kind, count in _counts(read_generation_golden(path)).items():
            counts[kind] = counts.get(kind, 0) + count
    text = 0
    for path in sorted((resources / "golden" / "text").glob("*.json")):
        if not path.name.endswith(".tokenizer.json"):
            document = json.loads(path.read_text(encoding="utf-8"))
            text += len(document["cases"]) + len(document["stream_cases"])
    return BuiltGeneration(build.sdk(), build.out / "android", build.out / "ios", resources,
                           counts, text)


@pytest.fixture(scope="session")
def android_generation(built_generation: BuiltGeneration, kotlin_standins: Path,
                       tmp_path_factory: pytest.TempPathFactory):
    """The built text-generation Android tree, compiled once (library, then tests) for every check."""
    from android.conftest import Tree, require_junit, require_kotlin

    from generation.android_build import build

    kotlin = require_kotlin()
    junit = require_junit()
    tree = Tree(name="text_generation", root=built_generation.android, sdk=built_generation.sdk)
    return build(tree, tmp_path_factory.mktemp("android-generation"), kotlin, junit, kotlin_standins)
