"""Eager reference outputs that are the same on every x86_64 machine: float64, rounded to float32.

float32 eager outputs depend on the CPU (oneDNN, MKL and ATen pick AVX2 or AVX-512 kernels whose
summation orders differ) and on the thread count: MobileNetV2's golden probabilities differed in
the 7th digit between two machines. In float64 the kernels still differ, but only by about
1e-15 relative (measured: ATen's ``default`` vs ``avx2`` kernels, MKL's code paths via
``MKL_CBWR``, 1 vs 2 threads), far below float32's resolution (6e-8): rounded to float32, the
outputs are the same bytes. The golden vectors and the parity baselines use this reference.

A model that cannot run in float64 (a ``forward`` that casts to float32 itself, a custom kernel
without a float64 variant) or whose float64 outputs stray from its float32 ones falls back to
float32 eager; :class:`Reference` says which mode ran and why, for the report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from sdkgen.loading import LoadedModel, run_eager

FLOAT64 = "float64 rounded to float32"
FLOAT32 = "float32"
# float64 vs float32 eager of a healthy model: ~1e-6 relative; beyond this the model behaves
# differently in float64 (e.g. dtype-dependent masking constants) and float64 is not a reference.
_AGREEMENT = 1e-3


@dataclass(frozen=True)
class Reference:
    """How the eager reference outputs are computed for one model."""

    model: LoadedModel
    mode: str  # FLOAT64 or FLOAT32
    reason: str  # why this mode, for the report

    def run(self, inputs: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
        """The model's outputs on ``inputs`` (torch tensors) as float32 arrays."""
        if self.mode == FLOAT32:
            return run_eager(self.model, inputs)
        with float64_module(self.model.module):
            return run_eager(self.model, tuple(_widen(x) for x in inputs))

    def to_json(self) -> dict[str, str]:
        return {"mode": self.mode, "reason": self.reason}


def _widen(tensor: Any) -> Any:
    import torch

    return tensor.to(torch.float64) if tensor.is_floating_point() else tensor


@contextlib.contextmanager
def float64_module(module: Any) -> Iterator[None]:
    """Run ``module`` with float64 parameters and buffers (and float64 as torch's default dtype);
    every tensor gets its own dtype back afterwards, bit for bit (float64 holds every float32,
    float16 and bfloat16 value exactly)."""
    import torch

    restore: list[tuple[Any, str, Any]] = []  # (owner, attribute, original tensor)
    parameters = {id(p): p for p in module.parameters()}
    for parameter in parameters.values():
        if parameter.is_floating_point():
            restore.append((parameter, "data", parameter.data))
            parameter.data = parameter.data.to(torch.float64)
    for name, buffer in module.named_buffers():
        if buffer is not None and buffer.is_floating_point():
            owner_name, _, attribute = name.rpartition(".")
            owner = module.get_submodule(owner_name)
            restore.append((owner, attribute, buffer))
            setattr(owner, attribute, buffer.to(torch.float64))
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        yield
    finally:
        torch.set_default_dtype(default)
        for owner, attribute, original in reversed(restore):
            setattr(owner, attribute, original)


def _relative_error(got: np.ndarray, want: np.ndarray) -> float:
    want64, got64 = want.astype(np.float64), got.astype(np.float64)
    scale = max(float(np.linalg.norm(want64)), 1e-12)
    return float(np.linalg.norm(got64 - want64)) / scale


def choose_reference(model: LoadedModel, float32_outputs: tuple[np.ndarray, ...]) -> Reference:
    """Float64 when the model runs in it and agrees with its float32 outputs on the example
    inputs (``float32_outputs``), else float32 with the reason."""
    candidate = Reference(model, FLOAT64, "")
    try:
        outputs = candidate.run(model.example_inputs)
    except Exception as error:  # the model's own code: any failure means "no float64 here"
        first_line = str(error).splitlines()[0] if str(error) else ""
        return Reference(model, FLOAT32, f"the model does not run in float64 "
                         f"({type(error).__name__}: {first_line}); float32 eager outputs may "
                         "differ in the last digits between CPUs")
    if len(outputs) != len(float32_outputs) or any(
        a.shape != b.shape for a, b in zip(outputs, float32_outputs, strict=True)
    ):
        return Reference(model, FLOAT32, "the model returns other outputs in float64")
    for index, (wide, narrow) in enumerate(zip(outputs, float32_outputs, strict=True)):
        finite = np.isfinite(narrow)
        if not np.array_equal(np.isfinite(wide), finite) or (
            finite.all() and _relative_error(wide, narrow) > _AGREEMENT
        ):
            return Reference(model, FLOAT32, f"output {index} differs between float64 and "
                             "float32 eager; float32 eager outputs may differ in the last digits "
                             "between CPUs")
    return Reference(model, FLOAT64, "float64 kernels differ between CPUs by ~1e-15, below "
                     "float32 resolution: the rounded outputs are the same on every machine")
