"""Memory an export no longer needs goes back between build stages."""

from __future__ import annotations

import gc
import weakref

from sdkgen.memory import release_unused_memory


class _Node:
    def __init__(self) -> None:
        self.payload = bytearray(8 << 20)
        self.me = self  # a reference cycle, as torch.export's graph modules leave


def test_cycles_are_collected_and_the_heap_trimmed() -> None:
    gc.disable()
    try:
        node = _Node()
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # only a collection frees a cycle
        release_unused_memory()
        assert alive() is None
    finally:
        gc.enable()
