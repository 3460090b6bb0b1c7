"""Ctrl-C is never lost: an interrupt a library swallowed ends the build at its next stage.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be. Some native
extensions run Python code through ``PyRun_SimpleString`` (Cython module initialisers do, while
torch and its companions are imported), which prints and *discards* any exception, a
``KeyboardInterrupt`` included; a build interrupted then would go on to the end as if nothing had
happened (seen once, under load, in the interrupted-build test). While a command runs, SIGINT also
records that it came; the next stage that starts raises ``KeyboardInterrupt`` again if none has
reached sdkgen's own code since. Only stage starts check, so clean-up code (which starts no
stage) is never interrupted twice.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

_pending = threading.Event()


def _record_and_raise(signum: int, frame: object) -> None:
    _pending.set()
    raise KeyboardInterrupt


def delivered() -> None:
    """A ``KeyboardInterrupt`` reached sdkgen's code: nothing is left to raise again."""
    _pending.clear()


def raise_if_swallowed() -> None:
    """Raise ``KeyboardInterrupt`` (once) for a SIGINT whose exception never reached sdkgen."""
    if _pending.is_set() and threading.current_thread() is threading.main_thread():
        _pending.clear()
        raise KeyboardInterrupt


@contextlib.contextmanager
def interrupts_kept() -> Iterator[None]:
    """Record SIGINTs while the block runs (main thread only; the previous handler comes back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pending.clear()
    previous = signal.signal(signal.SIGINT, _record_and_raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _pending.clear()
