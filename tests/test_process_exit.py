"""The command line ends without the interpreter's teardown once torch was loaded, same status."""

from __future__ import annotations

import sys

import pytest

from sdkgen import cli, process_exit


class _Ended(Exception):
    """Stands for os._exit in these tests."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _ending_command(monkeypatch: pytest.MonkeyPatch, request: SystemExit) -> list[str]:
    flushed: list[str] = []

    def command() -> None:
        raise request

    def end(code: int) -> None:
        raise _Ended(code)

    monkeypatch.setattr(cli, "cli", command)
    monkeypatch.setattr(process_exit, "flush_everything", lambda: flushed.append("flushed"))
    monkeypatch.setattr(process_exit.os, "_exit", end)
    return flushed


@pytest.mark.parametrize(("request_code", "status"), [(0, 0), (None, 0), (9, 9)])
def test_a_command_that_loaded_torch_ends_at_once_with_its_status_after_flushing(
        monkeypatch: pytest.MonkeyPatch, request_code: int | None, status: int) -> None:
    monkeypatch.setitem(sys.modules, "torch", sys.modules.get("torch", sys))
    flushed = _ending_command(monkeypatch, SystemExit(request_code))
    with pytest.raises(_Ended) as ended:
        cli.main()
    assert ended.value.code == status and flushed == ["flushed"]


def test_without_torch_or_with_a_message_the_usual_exit_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for name in process_exit.HEAVY_MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    _ending_command(monkeypatch, SystemExit(3))
    with pytest.raises(SystemExit) as usual:
        cli.main()
    assert usual.value.code == 3
    monkeypatch.setitem(sys.modules, "torch", sys)
    _ending_command(monkeypatch, SystemExit("a message for stderr"))
    with pytest.raises(SystemExit, match="a message"):
        cli.main()
