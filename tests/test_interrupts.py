"""Ctrl-C during a build: an interrupt a native extension swallowed still ends the build."""

from __future__ import annotations

import contextlib
import os
import signal
import time

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
