"""Give memory an export no longer needs back to the system, between the stages of a build.

A torch.export → ExecuTorch lowering leaves reference cycles (graph modules, fake tensors, shape
environments) and, once they are collected, free glibc heap pages that stay in the process. On
SmolLM2 the float ``.pte`` export left the process at 3.94 GB; a collection and ``malloc_trim``
brought it to 3.21 GB (the eager model alone: 1.54 GB). Builds call :func:`release_unused_memory`
after each export so that the next one starts lower.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache
from typing import Any


@cache
def _libc() -> Any | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        library = ctypes.CDLL(name)
    except OSError:
        return None
    return library if hasattr(library, "malloc_trim") else None  # glibc only


def release_unused_memory() -> None:
    """Collect reference cycles, then return free heap pages to the system (glibc; elsewhere
    the collection only)."""
    gc.collect()
    library = _libc()
    if library is not None:
        library.malloc_trim(0)
