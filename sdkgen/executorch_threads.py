"""ExecuTorch's thread pool: one per process, shared by the Python runtime and the C++ LLM runner.

A reset frees the pool that loaded methods hold; calling such a method afterwards crashed the
process ("double free or corruption"). So the pool is sized before any program is loaded, and
reset only when its size differs.
"""

from __future__ import annotations


def executorch_threads(count: int) -> None:
    """Size ExecuTorch's process-wide thread pool to ``count`` (a no-op when it has that size)."""
    from executorch.extension.pybindings.portable_lib import (
        _threadpool_get_thread_count,
        _unsafe_reset_threadpool,
    )

    if int(_threadpool_get_thread_count()) != count:
        _unsafe_reset_threadpool(count)
