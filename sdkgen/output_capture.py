"""Third-party output goes to a log file, not the terminal: only sdkgen speaks there.

During a build, libraries log records and warnings (coremltools' missing native proxies, version
checks, torchao's library loading) and native code writes straight to file descriptors 1 and 2
(ExecuTorch's ``[cpuinfo_utils.cpp:…]`` lines). :func:`captured_output` sends all of it to one log
file: Python's ``sys.stdout``/``sys.stderr``, the root logger and the ``warnings`` module (as
records of ``py.warnings``) for the Python side, and the
descriptors themselves (``dup2`` onto the log, restored in ``finally``) for the native side. A
``follow`` callback receives the log's lines as they are written (``--verbose``).

sdkgen's own messages must therefore be written to a stream opened before the capture starts (see
:func:`sdkgen.terminal.terminal_stream`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(processName)s]: %(message)s"
_FOLLOW_SECONDS = 0.1
_STANDARD_DESCRIPTORS = (1, 2)


def _flush_all() -> None:
    """Flush Python's and C's buffered standard streams before a descriptor changes target."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)  # C stdio buffers of native libraries


def _open_descriptors(descriptors: tuple[int, ...]) -> tuple[int, ...]:
    opened = []
    for fd in descriptors:
        try:
            os.fstat(fd)
        except OSError:
            continue  # closed (a daemon): nothing to redirect
        opened.append(fd)
    return tuple(opened)


@contextlib.contextmanager
def redirect_descriptors(target: int, descriptors: tuple[int, ...] = _STANDARD_DESCRIPTORS
                         ) -> Iterator[None]:
    """Point ``descriptors`` at the open file descriptor ``target`` for the block; restore them
    afterwards, also when the block raises."""
    descriptors = _open_descriptors(descriptors)
    _flush_all()
    saved: dict[int, int] = {}
    try:
        for fd in descriptors:
            saved[fd] = os.dup(fd)
            os.dup2(target, fd)
        yield
    finally:
        _flush_all()
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)


class _Follower(threading.Thread):
    """Reads a growing log file and hands each complete line to ``callback``."""

    def __init__(self, path: Path, callback: Callable[[str], None]) -> None:
        super().__init__(name="sdkgen-log-follower", daemon=True)
        self._file = open(path, "rb")  # noqa: SIM115  (closed in stop())
        self._callback = callback
        self._stopping = threading.Event()
        self._pending = b""

    def _drain(self) -> None:
        self._pending += self._file.read()
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            self._callback(line.decode("utf-8", errors="replace").rstrip("\r"))

    def run(self) -> None:
        while not self._stopping.wait(_FOLLOW_SECONDS):
            self._drain()

    def stop(self) -> None:
        self._stopping.set()
        self.join()
        self._drain()
        if self._pending:
            self._callback(self._pending.decode("utf-8", errors="replace"))
        self._file.close()


@contextlib.contextmanager
def _root_logging(stream: TextIO, level: int) -> Iterator[None]:
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    previous = root.level
    # warnings become records of the "py.warnings" logger; an outer capture keeps its own setting
    routes_warnings = getattr(logging, "_warnings_showwarning", None) is None
    root.addHandler(handler)
    root.setLevel(level)
    if routes_warnings:
        logging.captureWarnings(True)
    try:
        yield
    finally:
        if routes_warnings:
            logging.captureWarnings(False)
        root.removeHandler(handler)
        root.setLevel(previous)


@contextlib.contextmanager
def captured_output(log_path: Path, *, level: int = logging.WARNING,
                    follow: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Everything written to stdout/stderr (Python or native) and every log record of ``level``
    and above during the block goes to ``log_path`` (created or replaced); yields the path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)  # a new file: a process still writing the old one keeps it
    descriptor = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    stream = open(log_path, "a", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    follower = _Follower(log_path, follow) if follow is not None else None
    try:
        if follower is not None:
            follower.start()
        with redirect_descriptors(descriptor), contextlib.redirect_stdout(stream), \
                contextlib.redirect_stderr(stream), _root_logging(stream, level):
            yield log_path
    finally:
        stream.close()
        os.close(descriptor)
        if follower is not None:
            follower.stop()


@contextlib.contextmanager
def quiet_output(replay_to: TextIO | None = None) -> Iterator[None]:
    """Capture third-party output of a short command into a temporary file, dropped afterwards;
    if the block raises, the captured text is written to ``replay_to`` (it may explain why)."""
    replay = replay_to if replay_to is not None else sys.stderr
    with tempfile.TemporaryDirectory(prefix="sdkgen-output-") as folder:
        log = Path(folder) / "output.log"
        try:
            with captured_output(log):
                yield
        except BaseException:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            if text.strip():
                replay.write(text if text.endswith("\n") else text + "\n")
            raise
