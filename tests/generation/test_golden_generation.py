"""Generation golden files: deterministic, complete, re-checked by the reference, corruption caught."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generation.contexts import reduced, write_golden_folder
from sdkgen.generation.golden import (
    GoldenGenerationError,
    GreedyCase,
    generation_document,
    read_generation_golden,
    verify_document,
    write_generation_golden,
)
from sdkgen.generation.stop import StopStringMatcher


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("golden-generation")
    write_golden_folder(directory)
    return directory


def test_every_file_is_rechecked_by_the_reference(golden: Path) -> None:
    totals: dict[str, int] = {}
    for path in sorted(golden.glob("*.json")):
        if path.name.endswith(".tokenizer.json"):
            continue
        for kind, count in verify_document(read_generation_golden(path), golden).items():
            totals[kind] = totals.get(kind, 0) + count
    print("generation golden cases per kind:", totals)
    assert totals["chat"] >= 6 * 300
    assert totals["sampler"] >= 150 and totals["exp"] >= 200 and totals["stop"] >= 16
    assert totals["stream"] >= 10 and totals["greedy"] == 2


def test_files_are_byte_identical_between_runs(golden: Path, tmp_path: Path) -> None:
    write_golden_folder(tmp_path)
    for path in golden.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_stream_cases_split_characters_and_sampler_cases_are_varied(golden: Path) -> None:
    document = read_generation_golden(golden / "model.json")
    for case in document["stream_cases"]:
        assert "" in case["pieces"] and "".join(case["pieces"]) == case["text"]
    samplers = document["sampler_cases"]
    assert {c["top_k"] > 0 for c in samplers} == {True, False}
    assert {c["top_p"] < 1 for c in samplers} == {True, False}
    assert any(c["temperature"] == 0 and not c["draws"] for c in samplers)
    assert len({tuple(c["ids"]) for c in samplers}) > 40
    assert any(int(c["seed"]) == 2**64 - 1 for c in samplers)
    errors = {c["error"] for c in document["chat_cases"]}
    assert errors == {None, "invalid_order"}
    gemma = read_generation_golden(golden / "template-gemma.json")
    assert "system_rejected" in {c["error"] for c in gemma["chat_cases"]}


@pytest.mark.parametrize(("kind", "field", "change"), [
    ("chat_cases", "text", lambda v: v + " "),
    ("sampler_cases", "ids", lambda v: [v[0] + 1, *v[1:]]),
    ("stop_cases", "shown", lambda v: [*v[:-1], v[-1] + "x"]),
    ("stream_cases", "pieces", lambda v: ["x", *v[1:]]),
])
def test_a_changed_case_is_caught(golden: Path, tmp_path: Path, kind: str, field: str,
                                change: Callable[[Any], Any]) -> None:
    document = json.loads((golden / "model.json").read_text(encoding="utf-8"))
    case = next(c for c in document[kind] if c[field] and (kind != "chat_cases" or c["text"] is not None))
    case[field] = change(case[field])
    with pytest.raises(GoldenGenerationError, match=case["name"]):
        verify_document(document, golden)


def test_bad_files_are_refused(tmp_path: Path) -> None:
    path = write_generation_golden(tmp_path / "a.json", {"format": "other", "format_version": 1})
    with pytest.raises(GoldenGenerationError, match="format is 'other'"):
        read_generation_golden(path)
    with pytest.raises(GoldenGenerationError, match="cannot be written"):
        write_generation_golden(tmp_path / "b.json", {"x": float("inf")})
    with pytest.raises(GoldenGenerationError, match="check 'approximately'"):
        generation_document(greedy=[GreedyCase("g", (1,), (2,), "s", check="approximately")])
    with pytest.raises(GoldenGenerationError, match="lists of token ids"):
        generation_document(greedy=[GreedyCase("g", (), (2,), "s")])
    with pytest.raises(GoldenGenerationError, match="min_top1_agreement"):
        generation_document(greedy=[GreedyCase("g", (1,), (2,), "s", check="teacher_forced")])
    document = generation_document(chat=reduced("qwen2"))
    assert set(document) == {"format", "format_version", "chat", "chat_source", "chat_cases"}


def test_stop_string_matcher_holds_back_possible_starts() -> None:
    matcher = StopStringMatcher(["<|im_end|>", "", "\n\nUser:"])
    assert [matcher.push(p) for p in ["Hi", " <", "|im", "_e", "x\n", "\nU"]] == ["Hi", " ", "", "", "<|im_ex", ""]
    assert matcher.finish() == "\n\nU"
    matcher = StopStringMatcher(["xyz", "yz"])
    assert matcher.push("axy") == "a"
    assert (matcher.push("z!"), matcher.stopped) == ("", True)
    assert matcher.push("more") == "" and matcher.finish() == ""
