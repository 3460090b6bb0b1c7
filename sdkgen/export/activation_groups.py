"""Finer activation scales for XNNPACK's dynamically quantised linears: activation groups.

XNNPACK quantises a linear's input to int8 with one scale per row (per token). A few input
channels with a large range then set a coarse step for all the others; llama.cpp avoids this with
one scale per block of 32 inputs, which XNNPACK has no kernel for. Activation groups get close
inside one XNNPACK linear: the input channels are split into ``k`` groups of similar calibrated
range, the input becomes ``k`` rows, each with only its group's channels (zeros elsewhere), and the
linear's ``k`` output rows are added. Each row gets its own int8 scale; the weights are untouched
(a GGUF file's 4-bit blocks stay exact), and in float the result is the linear's own (the groups
partition the channels). The price is speed: decoding one token multiplies ``k`` rows where it
multiplied one, and prefill ``k`` times the rows (measured in ``docs/text-generation.md``,
"Activation groups"), so a definition asks for it (``activation_groups``); the default is one
scale.

Everything the wrapper adds (a multiply, reshapes, a transpose and a float linear of ones that
adds the groups) lowers to XNNPACK with a dynamic token count, so the grouped linear stays inside
the delegate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkgen.export.module_tree import child_slots


def channel_groups(max_abs: Any, groups: int) -> Any:
    """Masks ``[g, in]`` (``g <= groups``, each row non-empty, together every channel once) that
    split the channels, sorted by calibrated ``max |x|``, into runs minimising
    ``sum over groups of (channels in it) * (its largest max |x|)^2``: the int8 step of a group is
    its range / 255, and each channel's rounding error grows with the square of that step."""
    import numpy as np
    import torch

    ranges = torch.as_tensor(max_abs, dtype=torch.float64).flatten()
    if groups < 1:
        raise ValueError(f"groups must be at least 1, got {groups}")
    order = torch.argsort(ranges, descending=True, stable=True).numpy()
    squares = (ranges.numpy()[order]) ** 2
    count = len(squares)
    groups = min(groups, count)
    # best[g][j]: the least cost of putting the j largest channels into g runs; the run i..j-1
    # costs (j - i) * squares[i] (sorted descending: squares[i] is its largest)
    best = np.full((groups + 1, count + 1), np.inf)
    start = np.zeros((groups + 1, count + 1), dtype=np.int64)
    best[0, 0] = 0.0
    starts = np.arange(count)
    for g in range(1, groups + 1):
        for j in range(g, count + 1):
            costs = best[g - 1, :j] + (j - starts[:j]) * squares[:j]
            i = int(np.argmin(costs))
            best[g, j], start[g, j] = costs[i], i
    used = int(np.argmin(best[1:, count])) + 1  # fewer groups when more would not lower the cost
    bounds, j = [], count
    for g in range(used, 0, -1):
        bounds.append((int(start[g, j]), j))
        j = int(start[g, j])
    masks = torch.zeros(used, count, dtype=torch.float32)
    for row, (i, j) in enumerate(reversed(bounds)):
        masks[row, torch.as_tensor(order[i:j])] = 1.0
    return masks


def _grouped_linear_class() -> type:
    import torch
    from torch import nn

    class GroupedActivationLinear(nn.Module):
        """``inner(x)`` computed as the sum of ``inner`` over ``x`` masked per channel group, so
        that a dynamically quantised ``inner`` gives each group its own int8 scale."""

        def __init__(self, inner: nn.Module, masks: torch.Tensor) -> None:
            super().__init__()
            self.inner = inner
            # a bias would be added once per group: take it out and add it once
            bias = getattr(inner, "bias", None)
            if bias is not None:
                inner.bias = None
            self.register_buffer("bias", None if bias is None else bias.detach().clone())
            self.register_buffer("masks", masks.to(torch.float32).contiguous())
            # the groups' partial products are added by a float linear of ones (XNNPACK takes a
            # linear with a dynamic row count; it takes no sum, and no slice of a dynamic shape)
            self.add_groups = nn.Linear(len(masks), 1, bias=False)
            self.add_groups.weight = nn.Parameter(torch.ones(1, len(masks)), requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            width = self.masks.shape[1]
            # reshapes keep at most one inferred dimension (what XNNPACK's reshape takes)
            rows = x.reshape(-1, 1, width) * self.masks  # [tokens, groups, in]
            partial = self.inner(rows)  # [tokens, groups, out]
            total = self.add_groups(partial.transpose(1, 2))  # [tokens, out, 1]
            total = total.reshape(*x.shape[:-2], -1, partial.shape[-1])
            return total if self.bias is None else total + self.bias

    return GroupedActivationLinear


def group_activations(model: Any, masks: Mapping[str, Any]) -> int:
    """Wrap every child module of ``model`` named in ``masks`` (qualified names, as
    ``named_modules`` gives them) in a grouped-activation linear. Returns how many were wrapped."""
    grouped = _grouped_linear_class()
    wrapped = 0
    for parent, name, qualified, child in child_slots(model):
        group_masks = masks.get(qualified)
        if group_masks is None or len(group_masks) < 2:
            continue
        setattr(parent, name, grouped(child, group_masks))
        wrapped += 1
    return wrapped
