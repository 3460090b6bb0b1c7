"""Skip building XNNPACK's replacement patterns for a graph that cannot contain them.

Two of the XNNPACK delegate's passes replace subgraphs by matching pattern graphs:
``ConvertToSDPAPass`` (a decomposed scaled-dot-product attention) and
``ConvertToUpsampleBilinear2d``. The patterns do not depend on the model: each process builds them
the first time the pass runs, by exporting and lowering small modules (``torch.export`` with
dynamo, then ``to_edge``), which took about 3 s of the 16-22 s MobileNetV2 lowering, on the
critical path of a cold build.

A pattern can only match a graph that has every operator of the pattern. Each pass here has an
*anchor*: an operator that every one of its patterns contains (``tests/test_xnnpack_patterns.py``
builds the real patterns and checks it, so a library update that changes them fails there). When
the graph the pass is given has no anchor, nothing can match: the pass runs as usual but is handed
no patterns, so its result is the one it would have computed, without building them. A graph with
an anchor gets the real patterns.

The passes are changed only inside :func:`unmatchable_patterns_skipped` and restored after it;
where the library does not have the expected passes, nothing is changed.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PatternPass:
    """A pass that matches pattern graphs, where it finds them, and what every pattern contains."""

    pass_module: str  # the module of the pass class
    pass_class: str
    patterns_module: str  # the module whose function builds the patterns (cached per process)
    patterns_function: str
    anchors: frozenset[str]  # operators every pattern has ("aten._softmax.default")
    empty: Callable[[], Any]  # what the patterns function returns when there are none


PATTERN_PASSES = (
    PatternPass(
        pass_module="executorch.backends.xnnpack._passes.convert_to_sdpa",
        pass_class="ConvertToSDPAPass",
        patterns_module="executorch.backends.xnnpack.partition.graphs.sdpa",
        patterns_function="get_graphs",
        anchors=frozenset({"aten._softmax.default", "aten.bmm.default"}),
        empty=list,
    ),
    PatternPass(
        pass_module="executorch.backends.xnnpack._passes.convert_to_upsample_bilinear2d",
        pass_class="ConvertToUpsampleBilinear2d",
        patterns_module="executorch.backends.xnnpack.partition.graphs.bilinear_2d",
        patterns_function="get_graphs_dict",
        anchors=frozenset({"aten.upsample_bilinear2d.vec"}),
        empty=dict,
    ),
)


def operator_name(target: Any) -> str:
    """``aten.bmm.default`` for an edge-dialect or an ATen operator alike."""
    from torch._ops import OpOverload

    wrapped = getattr(target, "_op", None)  # an edge operator wraps its ATen overload
    return str(wrapped if isinstance(wrapped, OpOverload) else target)


def graph_operators(graph_module: Any) -> set[str]:
    """The operators a graph module calls, its submodules' included."""
    return {
        operator_name(node.target)
        for module in graph_module.modules() if hasattr(module, "graph")
        for node in module.graph.nodes if node.op == "call_function"
    }


def can_match(pattern_pass: PatternPass, graph_module: Any) -> bool:
    """Whether any of the pass's patterns could match: the graph has all of its anchors."""
    return pattern_pass.anchors <= graph_operators(graph_module)


@contextlib.contextmanager
def _patterns_replaced(pattern_pass: PatternPass, replacement: Callable[[], Any]) -> Iterator[None]:
    module = importlib.import_module(pattern_pass.patterns_module)
    original = getattr(module, pattern_pass.patterns_function)
    setattr(module, pattern_pass.patterns_function, replacement)
    try:
        yield
    finally:
        setattr(module, pattern_pass.patterns_function, original)


def _skipping_call(pattern_pass: PatternPass, call: Callable[..., Any]) -> Callable[..., Any]:
    def guarded_call(self: Any, graph_module: Any) -> Any:
        if can_match(pattern_pass, graph_module):
            return call(self, graph_module)
        with _patterns_replaced(pattern_pass, pattern_pass.empty):
            return call(self, graph_module)

    return guarded_call


def _resolve(pattern_pass: PatternPass) -> type | None:
    """The pass class, or None where this version of the library has no such pass."""
    try:
        module = importlib.import_module(pattern_pass.pass_module)
        patterns = importlib.import_module(pattern_pass.patterns_module)
    except ImportError:
        return None
    cls = getattr(module, pattern_pass.pass_class, None)
    if not isinstance(cls, type) or not hasattr(patterns, pattern_pass.patterns_function):
        return None
    return cls if callable(getattr(cls, "call", None)) else None


@contextlib.contextmanager
def unmatchable_patterns_skipped() -> Iterator[None]:
    """Within the block, the pattern passes build no patterns for graphs without their anchors."""
    patched: list[tuple[type, Any]] = []
    try:
        for pattern_pass in PATTERN_PASSES:
            cls = _resolve(pattern_pass)
            if cls is None:
                continue
            original = cls.__dict__.get("call")
            if original is None:
                continue
            cls.call = _skipping_call(pattern_pass, original)  # type: ignore[attr-defined]
            patched.append((cls, original))
        yield
    finally:
        for cls, original in reversed(patched):
            cls.call = original  # type: ignore[attr-defined]
