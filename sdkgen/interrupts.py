"""Ctrl-C is never lost, and never lands inside an import.

Python turns SIGINT into ``KeyboardInterrupt`` wherever the main thread happens to be. Two places
break a build that way:

- **An import.** A ``KeyboardInterrupt`` raised while torch, sympy or coremltools is being imported
  leaves half-initialised modules behind. Seen in a loop of the interrupted-build test: the build
  went on and failed with ``module 'sympy' has no attribute 'printing'`` (exit code 70, not 130).
  While the main thread is inside an import, SIGINT is therefore only recorded; a watcher thread
  hands it back as soon as the main thread is out of every import (checked every
  :data:`_RETRY_SECONDS`). A second Ctrl-C while one is held is raised at once: an import that
  runs a user's training loop can still be stopped.
- **Code that swallows it.** Some native extensions run Python code through
  ``PyRun_SimpleString`` (Cython module initialisers do), which prints and *discards* any
  exception, a ``KeyboardInterrupt`` included; the build would go on to the end as if nothing had
  happened. SIGINT also records that it came; the next stage that starts raises
  ``KeyboardInterrupt`` again if none has reached sdkgen's own code since. Only stage starts
  check, so clean-up code (which starts no stage) is never interrupted twice.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

_RETRY_SECONDS = 0.05
_IMPORT_MACHINERY = "<frozen importlib."
_pending = threading.Event()  # a SIGINT came and no KeyboardInterrupt reached sdkgen since
_held = threading.Event()  # a SIGINT waits for the import in progress to end
_retrying = threading.Event()  # the next SIGINT handler call is the watcher's, not a key press
_closing = threading.Event()  # the block ends: a held interrupt is dropped
_watchers: list[threading.Thread] = []


def inside_import(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs on behalf of an ``import`` (its caller chain holds importlib)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith(_IMPORT_MACHINERY):
            return True
        frame = frame.f_back
    return False


def _watch_main_thread() -> None:
    """Hand the held SIGINT back to the main thread as soon as it is out of every import: one
    real signal, which also ends a wait the main thread is blocked in, as the first one did."""
    main = threading.main_thread().ident
    while _held.is_set() and not _closing.is_set():
        time.sleep(_RETRY_SECONDS)
        if main is not None and not inside_import(sys._current_frames().get(main)):
            _retrying.set()
            signal.pthread_kill(main, signal.SIGINT)
            return


def _hold_until_imported() -> None:
    _held.set()
    if not any(watcher.is_alive() for watcher in _watchers):
        _watchers[:] = [threading.Thread(target=_watch_main_thread, name="sdkgen-interrupt-watch",
                                         daemon=True)]
        _watchers[0].start()


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    if _retrying.is_set():
        _retrying.clear()
        if _closing.is_set() or not _held.is_set():
            return
    elif _held.is_set():  # pressed again while an import holds the first one: stop now
        _held.clear()
        raise KeyboardInterrupt
    else:
        _pending.set()
    if inside_import(frame):
        _hold_until_imported()
        return
    _held.clear()
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
    """Record SIGINTs, and hold them during imports, while the block runs (main thread only; the
    previous handler comes back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    for flag in (_pending, _held, _retrying, _closing):
        flag.clear()
    previous = signal.signal(signal.SIGINT, _on_sigint)
    try:
        yield
    finally:
        _closing.set()
        for watcher in _watchers:
            watcher.join()
        signal.signal(signal.SIGINT, previous)
        _pending.clear()
        _held.clear()
