"""Ctrl-C during a build: an interrupt a native extension swallowed still ends the build, and one
that comes during an import is raised after it."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest

from sdkgen.interrupts import interrupts_kept
from sdkgen.progress import Reporter


def _press_ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)  # the handler runs here: the sleep ends with KeyboardInterrupt


def test_a_swallowed_interrupt_ends_the_build_at_the_next_stage() -> None:
    reporter = Reporter()
    with interrupts_kept():
        # swallowed, as PyRun_SimpleString in a native module initialiser does
        with contextlib.suppress(KeyboardInterrupt):
            _press_ctrl_c()
        with pytest.raises(KeyboardInterrupt), reporter.stage("model", "load", "loading"):
            pytest.fail("the stage after a swallowed interrupt must not run")
        with reporter.stage("model", "next", "raised once"):
            pass


def test_a_delivered_interrupt_is_not_raised_again() -> None:
    reporter = Reporter()
    with interrupts_kept():
        with pytest.raises(KeyboardInterrupt), reporter.stage("model", "load", "loading"):
            _press_ctrl_c()
        with reporter.stage("model", "clean", "after the interrupt reached sdkgen"):
            pass


def test_the_previous_handler_comes_back() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts_kept():
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before


def _module_that_presses_ctrl_c(folder: Path, name: str, presses: int) -> None:
    """A module whose import is interrupted half way, then goes on for 0.3 s and finishes."""
    (folder / f"{name}.py").write_text(textwrap.dedent(f"""
        import os, signal, time
        for _ in range({presses}):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.2)
        time.sleep(0.3)
        finished = True
    """))


def test_an_interrupt_during_an_import_is_raised_once_the_import_is_done(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _module_that_presses_ctrl_c(tmp_path, "sdkgen_held_once", presses=1)
    started = time.monotonic()
    with interrupts_kept(), pytest.raises(KeyboardInterrupt):
        import sdkgen_held_once  # noqa: F401
        time.sleep(5)  # the held interrupt ends this sleep, right after the import
    assert sys.modules["sdkgen_held_once"].finished  # the import was not cut short
    assert time.monotonic() - started < 3


def test_a_second_ctrl_c_during_an_import_is_raised_at_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    _module_that_presses_ctrl_c(tmp_path, "sdkgen_held_twice", presses=2)
    with interrupts_kept(), pytest.raises(KeyboardInterrupt):
        import sdkgen_held_twice  # noqa: F401
    assert "sdkgen_held_twice" not in sys.modules  # stopped inside the import
