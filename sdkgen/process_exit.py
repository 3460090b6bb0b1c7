"""End a process whose work is done without the interpreter's teardown.

A process that imported torch, ExecuTorch and coremltools spends seconds after its last statement
unloading them (torch deregisters every operator library it registered; measured: 2.7 s of CPU
after a small lowering, under load), and whoever waits for the process waits for that: the parent
for an export process, the user (and ``hyperfine``) for ``sdkgen build``. Once everything was
written and flushed nothing of it is needed, so these processes end with ``os._exit``.

Only for the command line's own process and export processes: code that imports sdkgen as a
library (tests, notebooks) ends as usual.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import NoReturn

# modules whose teardown is slow: without them the usual exit is as quick
HEAVY_MODULES = ("torch", "executorch", "coremltools")


def loaded_heavy_modules() -> bool:
    return any(name in sys.modules for name in HEAVY_MODULES)


def flush_everything() -> None:
    """Python's streams, the logging handlers and C's stdio buffers (native libraries' prints)."""
    import ctypes

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    with contextlib.suppress(Exception):
        logging.shutdown()
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)


def exit_without_teardown(code: int) -> NoReturn:
    """End the process with ``code`` now, everything flushed."""
    flush_everything()
    os._exit(code)


def exit_code(request: SystemExit) -> int | None:
    """The status ``sys.exit`` would end with, where it is a number (None for a message)."""
    if request.code is None:
        return 0
    return request.code if isinstance(request.code, int) else None
