"""Session fixtures of the tokenizer checks: the golden text files and the compiled Kotlin tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkgen.tokenizers.fixtures import write_fixtures
from text_tokenizer import kotlin_build


@pytest.fixture(scope="session")
def golden_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture tokenizer and its golden file, produced by the Python reference."""
    directory = tmp_path_factory.mktemp("golden-text")
    write_fixtures(directory)
    return directory


@pytest.fixture(scope="session")
def kotlin_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> kotlin_build.Built:
    """The rendered Kotlin tokenizer templates and golden test, compiled once per session."""
    from android.conftest import require_junit, require_kotlin

    require_kotlin()
    require_junit()
    work = tmp_path_factory.mktemp("kotlin-tokenizer")
    module, package = kotlin_build.render(work / "rendered")
    return kotlin_build.compile_module(module, package, work)
