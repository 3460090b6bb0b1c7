"""Exports in a child process: the same bytes as in one process, and the same errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import tree_digest

from sdkgen.errors import ExportError, SpecError
from sdkgen.parallel_export import _rebuild_error, shared_cores, threads_per_process


def test_errors_come_back_as_the_same_class_with_message_and_hint() -> None:
    error = _rebuild_error("SpecError", "inputs[0]: wrong", "fix it")
    assert isinstance(error, SpecError) and error.exit_code == 3
    assert str(error) == "inputs[0]: wrong\n  hint: fix it"
    assert isinstance(_rebuild_error("NotAnSdkgenError", "x", None), ExportError)


def test_processes_side_by_side_share_the_cores_and_restore_the_thread_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert threads_per_process(2) == 1 and threads_per_process(1) == 2
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert threads_per_process(2) == 1  # never zero threads
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    before = torch.get_num_threads()
    with pytest.raises(RuntimeError), shared_cores(2):
        assert torch.get_num_threads() == 4
        raise RuntimeError("an export failed")
    assert torch.get_num_threads() == before


@pytest.mark.slow
def test_parallel_build_equals_the_sequential_one(digits_spec: Path, digits_build,
                                                   tmp_path: Path) -> None:
    from sdkgen.pipeline import build

    sequential = build(digits_spec, out_dir=tmp_path / "sequential", parallel=False).out_dir
    assert tree_digest(sequential) == tree_digest(digits_build.out_dir)  # digits_build: parallel
    log = digits_build.out_dir.with_name(digits_build.out_dir.name + ".build.log")
    assert "[sdkgen-export-android]" in log.read_text()  # the child's output went there
