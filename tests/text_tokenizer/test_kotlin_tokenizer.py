"""The generated Kotlin tokenizer reproduces the `tokenizers` library on every golden text case.

Per tokenizer family, JUnit runs the generated golden test over that family's golden file only
and must pass exactly one test per case in it. A case appended to a golden file is checked
without recompiling, and one changed rule in the tokenizer makes the golden test fail.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdkgen.tokenizers.fixtures import FIXTURES
from sdkgen.tokenizers.golden import TextOptions, encode_case, load_reference, write_golden
from text_tokenizer import kotlin_build
from text_tokenizer.kotlin_build import Built


def _case_count(golden: Path, name: str) -> int:
    document = json.loads((golden / f"{name}.json").read_text(encoding="utf-8"))
    return len(document["cases"]) + len(document["stream_cases"])


@pytest.mark.parametrize("name", [fixture.name for fixture in FIXTURES])
def test_kotlin_matches_reference_on_every_case(kotlin_tokenizer: Built, golden_text: Path,
                                                tmp_path: Path, name: str) -> None:
    resources = kotlin_build.golden_resources(golden_text, [name], tmp_path)
    run = kotlin_build.run_junit(kotlin_tokenizer, resources)
    expected = _case_count(golden_text, name)
    print(f"{name}: {expected} golden cases, JUnit {run.passed} passed, {run.failed} failed")
    assert run.failed == 0, run.output[:4000]
    assert run.passed == expected
    assert expected >= 300 + 16


def test_an_appended_case_is_checked_without_recompiling(kotlin_tokenizer: Built, golden_text: Path,
                                                         tmp_path: Path) -> None:
    name = "bpe-bytefallback"
    resources = kotlin_build.golden_resources(golden_text, [name], tmp_path)
    path = resources / "golden" / "text" / f"{name}.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    options = TextOptions(**document["options"])
    reference = load_reference(path.parent / document["tokenizer_file"], options)
    document["cases"].append(encode_case(reference, "appended", "Appended: ŉ 🧪 ⅷ", options))
    write_golden(path, document)
    run = kotlin_build.run_junit(kotlin_tokenizer, resources)
    assert run.failed == 0, run.output[:4000]
    assert run.passed == _case_count(golden_text, name) + 1


MUTATIONS = {
    # accent stripping keeps the combining marks it should drop
    "accent stripping": ("Normalizers.kt",
                         "if (stripAccents) text = remove(Unicode.nfd(text), Unicode.bertRemovedMarks)",
                         "if (stripAccents) text = Unicode.nfd(text)", ["wordpiece-minilm"]),
    # merges applied by descending instead of ascending rank
    "merge rank": ("Models.kt",
                   "ranks.putIfAbsent(pair(a, b), (rank.toLong() shl 32) or merged.toLong())",
                   "ranks.putIfAbsent(pair(a, b), ((1L shl 30) - rank shl 32) or merged.toLong())",
                   ["bpe-bytelevel", "bpe-bytefallback"]),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_one_changed_rule_fails_the_golden_test(kotlin_tokenizer: Built, golden_text: Path,
                                                tmp_path: Path, mutation: str) -> None:
    file_name, original, mutated, families = MUTATIONS[mutation]
    module = tmp_path / "module"
    shutil.copytree(kotlin_tokenizer.sources, module)

    def patch(root: Path) -> None:
        source = next(root.rglob(file_name))
        text = source.read_text(encoding="utf-8")
        assert text.count(original) == 1, f"{original!r} not found once in {file_name}"
        source.write_text(text.replace(original, mutated), encoding="utf-8")

    built = kotlin_build.compile_module(module, kotlin_tokenizer.package, tmp_path, patch=patch)
    for family in families:
        run = kotlin_build.run_junit(built, kotlin_build.golden_resources(golden_text, [family],
                                                                          tmp_path / family))
        print(f"mutation {mutation!r} on {family}: {run.failed} of {run.passed + run.failed} failed")
        assert run.failed > 0, f"the mutation {mutation!r} went unnoticed on {family}"
