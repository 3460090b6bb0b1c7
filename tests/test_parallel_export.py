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


class _StillEnding:
    """A child process that sent its result and has not ended yet."""

    exitcode = None

    def __init__(self) -> None:
        self.joined = False

    def is_alive(self) -> bool:
        return not self.joined

    def join(self, timeout: float | None = None) -> None:
        self.joined = True

    def terminate(self) -> None:
        return None


def test_the_result_is_read_without_waiting_for_the_process_to_end(tmp_path: Path) -> None:
    import multiprocessing

    from sdkgen.export.base import ExportResult
    from sdkgen.parallel_export import ChildExport

    receiver, sender = multiprocessing.Pipe(duplex=False)
    sent = ExportResult(backend="executorch", platform="android", artifact=tmp_path / "m.pte",
                        size_bytes=1)
    sender.send(("ok", sent))
    process = _StillEnding()
    child = ChildExport("android", process, receiver, tmp_path / "build.log")
    assert child.result() == sent and not process.joined  # the process ends on its own
    child.cancel()  # the build's end joins it
    assert process.joined


def test_an_error_is_read_without_waiting_for_the_process_to_end(tmp_path: Path) -> None:
    import multiprocessing

    from sdkgen.parallel_export import ChildExport

    receiver, sender = multiprocessing.Pipe(duplex=False)
    sender.send(("error", "ExportError", "ExecuTorch lowering failed: x", "rewrite it"))
    process = _StillEnding()
    with pytest.raises(ExportError, match="lowering failed"):
        ChildExport("android", process, receiver, tmp_path / "build.log").result()
    assert not process.joined
