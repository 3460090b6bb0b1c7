"""XNNPACK's pattern passes skip building patterns only where none can match, with the same bytes."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from sdkgen.export.xnnpack_patterns import (
    PATTERN_PASSES,
    graph_operators,
    operator_name,
    unmatchable_patterns_skipped,
)


class _Convolution:
    """A small convolutional model: no attention, no bilinear upsampling."""

    @staticmethod
    def build() -> tuple[Any, tuple[Any, ...]]:
        import torch

        torch.manual_seed(0)
        module = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(),
                                     torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                                     torch.nn.Linear(4, 2)).eval()
        return module, (torch.randn(1, 3, 8, 8),)


class _Attention:
    """Self-attention written out (matmul, softmax, matmul): the SDPA pass's anchors."""

    @staticmethod
    def build() -> tuple[Any, tuple[Any, ...]]:
        import torch

        class Attention(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.qkv = torch.nn.Linear(8, 24)

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                q, k, v = self.qkv(x).chunk(3, dim=-1)
                weights = torch.softmax(q @ k.transpose(-1, -2) / 8 ** 0.5, dim=-1)
                return weights @ v

        torch.manual_seed(0)
        return Attention().eval(), (torch.randn(2, 5, 8),)


def _lowered(build: Callable[[], tuple[Any, tuple[Any, ...]]], *, skip: bool) -> str:
    import torch
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower

    module, example = build()
    program = torch.export.export(module, example, strict=False)
    with unmatchable_patterns_skipped() if skip else contextlib.nullcontext():
        edge = to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()])
    return hashlib.sha256(edge.to_executorch().buffer).hexdigest()


def _counting_patterns(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the calls of each pass's patterns function (the real one still answers)."""
    import importlib

    calls = {p.pass_class: 0 for p in PATTERN_PASSES}
    for pattern_pass in PATTERN_PASSES:
        module = importlib.import_module(pattern_pass.patterns_module)
        real = getattr(module, pattern_pass.patterns_function)

        def counted(real: Callable[[], Any] = real, name: str = pattern_pass.pass_class) -> Any:
            calls[name] += 1
            return real()

        monkeypatch.setattr(module, pattern_pass.patterns_function, counted)
    return calls


@pytest.mark.slow
def test_every_real_pattern_contains_its_pass_anchors() -> None:
    import importlib

    for pattern_pass in PATTERN_PASSES:
        patterns = getattr(importlib.import_module(pattern_pass.patterns_module),
                           pattern_pass.patterns_function)()
        assert len(patterns) > 0, pattern_pass.pass_class
        for pattern in patterns:
            assert pattern_pass.anchors <= graph_operators(pattern), (
                f"{pattern_pass.pass_class}: a pattern lacks {sorted(pattern_pass.anchors)}; "
                f"it has {sorted(graph_operators(pattern))}")


@pytest.mark.slow
def test_a_graph_without_anchors_builds_no_pattern_and_lowers_to_the_same_bytes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    full = _lowered(_Convolution.build, skip=False)
    calls = _counting_patterns(monkeypatch)
    assert _lowered(_Convolution.build, skip=True) == full
    assert calls == {p.pass_class: 0 for p in PATTERN_PASSES}


@pytest.mark.slow
def test_a_graph_with_anchors_gets_the_real_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    full = _lowered(_Attention.build, skip=False)
    calls = _counting_patterns(monkeypatch)
    assert _lowered(_Attention.build, skip=True) == full
    assert calls["ConvertToSDPAPass"] >= 1  # softmax and bmm are there: the patterns were built
    assert calls["ConvertToUpsampleBilinear2d"] == 0  # no bilinear upsampling in this graph


def test_the_passes_are_restored_after_the_block_even_on_error() -> None:
    import importlib

    originals = {}
    for pattern_pass in PATTERN_PASSES:
        cls = getattr(importlib.import_module(pattern_pass.pass_module), pattern_pass.pass_class)
        originals[cls] = cls.__dict__["call"]
    with pytest.raises(RuntimeError), unmatchable_patterns_skipped():
        assert all(cls.__dict__["call"] is not call for cls, call in originals.items())
        raise RuntimeError("the lowering failed")
    assert all(cls.__dict__["call"] is call for cls, call in originals.items())


def test_operator_names_are_the_same_for_edge_and_aten_operators() -> None:
    import torch
    from executorch.exir.dialects._ops import ops as exir_ops

    assert operator_name(exir_ops.edge.aten.bmm.default) == "aten.bmm.default"
    assert operator_name(torch.ops.aten.bmm.default) == "aten.bmm.default"
