"""Outlier channels in float beside XNNPACK's dynamically quantised linears.

XNNPACK quantises a linear's input to int8 with one scale per token, so the few input channels
with the largest range set a coarse step for all the others. Here the ``k`` channels with the
largest calibrated ``max |x|`` of each linear leave the quantised product: the quantised linear
reads the input with those channels zeroed (a multiply by a constant mask), and their exact
contribution, the float32 weight columns times the float input, is added by small float linears
(LLM.int8()'s decomposition, inside the XNNPACK delegate). The weights of the quantised part are
untouched, so a GGUF file's 4-bit blocks stay exact.

A linear that carries Q4_1 blocks (:mod:`sdkgen.export.block_linears`) already adds a small float
linear for its per-block offsets; there the outlier columns join that linear, whose input becomes
the block sums followed by the selected channels (``BlockOffsetLinear.take_outliers``: one more
small product, the selection). Any other linear gets two float linears (select the channels,
multiply their columns).

Measured on SmolLM2-135M-Instruct's ``gguf-q4`` (docs/text-generation.md, "Outlier channels").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkgen.export.module_tree import child_slots

MAX_SHARE = 4  # at most a quarter of a linear's inputs leave the quantised product


def outlier_indices(max_abs: Any, count: int) -> Any:
    """The ``count`` input channels with the largest calibrated ``max |x|`` (ties: the lower
    index first), in ascending order; at most a quarter of the channels."""
    import torch

    ranges = torch.as_tensor(max_abs, dtype=torch.float64).flatten()
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}")
    count = min(count, len(ranges) // MAX_SHARE)
    order = torch.argsort(ranges, descending=True, stable=True)[:count]
    return torch.sort(order).values


def selection_matrix(indices: Any, in_features: int) -> Any:
    """``[k, in]`` float32 rows of the identity: ``x @ E.T`` picks the channels ``indices``."""
    import torch

    rows = torch.zeros(len(indices), in_features, dtype=torch.float32)
    rows[torch.arange(len(indices)), torch.as_tensor(indices)] = 1.0
    return rows


def keep_mask(indices: Any, in_features: int) -> Any:
    """``[in]`` float32: 0 on ``indices``, 1 elsewhere."""
    import torch

    mask = torch.ones(in_features, dtype=torch.float32)
    mask[torch.as_tensor(indices, dtype=torch.long)] = 0.0
    return mask


def _outlier_linear_class() -> type:
    import torch
    from torch import nn

    class OutlierChannelLinear(nn.Module):
        """``inner(x · keep) + columns(select(x))``: a quantised ``inner`` without the outlier
        channels, plus their exact float32 contribution."""

        def __init__(self, inner: nn.Module, indices: torch.Tensor, weight: torch.Tensor) -> None:
            super().__init__()
            out_features, in_features = weight.shape
            self.inner = inner
            self.register_buffer("keep", keep_mask(indices, in_features))
            self.select = nn.Linear(in_features, len(indices), bias=False)
            self.select.weight = nn.Parameter(selection_matrix(indices, in_features),
                                              requires_grad=False)
            self.columns = nn.Linear(len(indices), out_features, bias=False)
            self.columns.weight = nn.Parameter(
                weight[:, indices].to(torch.float32).contiguous(), requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.inner(x * self.keep) + self.columns(self.select(x))

    return OutlierChannelLinear


def float_columns(model: Any, names: Mapping[str, Any]) -> dict[str, Any]:
    """The float32 weight of every ``nn.Linear`` of ``model`` named in ``names``, copied before
    the model is quantised."""
    from torch import nn

    return {name: module.weight.detach().clone()
            for name, module in model.named_modules()
            if name in names and isinstance(module, nn.Linear)}


def split_outliers(model: Any, channels: Mapping[str, Any], weights: Mapping[str, Any]) -> int:
    """Give every child module of ``model`` named in ``channels`` (a linear, quantised or
    carrying blocks) its outlier channels in float, with the float weights ``weights`` (see
    :func:`float_columns`). Returns how many linears were split."""
    outlier_linear = _outlier_linear_class()
    split = 0
    for parent, name, qualified, child in child_slots(model):
        indices = channels.get(qualified)
        if indices is None or len(indices) == 0 or qualified not in weights:
            continue
        if hasattr(child, "take_outliers"):
            child.take_outliers(indices, weights[qualified])
        else:
            setattr(parent, name, outlier_linear(child, indices, weights[qualified]))
        split += 1
    return split
