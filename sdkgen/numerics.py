"""Numeric range checks on eager activations (e.g. what would overflow Core ML's float16)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FLOAT16_MAX = 65504.0


@dataclass(frozen=True)
class ActivationRange:
    max_abs: float
    module: str  # qualified name of the submodule that produced it ("" = the whole model)


def largest_activation(module: Any, inputs: list[tuple[Any, ...]]) -> ActivationRange:
    """The largest |value| any submodule outputs (and the model returns) over ``inputs``."""
    import torch

    largest = ActivationRange(0.0, "")

    def record(name: str, value: Any) -> None:
        nonlocal largest
        tensors = value if isinstance(value, (tuple, list)) else (value,)
        for tensor in tensors:
            if isinstance(tensor, torch.Tensor) and tensor.is_floating_point() and tensor.numel():
                finite = tensor.detach().abs().nan_to_num(posinf=float("inf"))
                current = float(finite.max())
                if current > largest.max_abs:
                    largest = ActivationRange(current, name)

    handles = [
        sub.register_forward_hook(lambda _m, _i, out, name=name: record(name, out))
        for name, sub in module.named_modules() if name
    ]
    try:
        with torch.no_grad():
            for case in inputs:
                record("", module(*case))
    finally:
        for handle in handles:
            handle.remove()
    return largest


def float16_overflow_warning(module: Any, inputs: list[tuple[Any, ...]]) -> str | None:
    """A warning when eager activations exceed float16's range, else None."""
    found = largest_activation(module, inputs)
    if found.max_abs <= FLOAT16_MAX:
        return None
    where = f"in {found.module!r}" if found.module else "in the model's output"
    return (
        f"Core ML float16: eager activations reach {found.max_abs:.4g} {where}, beyond float16's "
        f"largest value {FLOAT16_MAX:g}; on device they overflow to inf. "
        "Set platforms.ios.precision: float32"
    )
