"""What rounding the weights to int8 costs on its own, before any activation is quantized.

An eager copy of the model whose convolution and linear weights are rounded to symmetric int8
per output channel (the grid of the int8 variants: ``round(w / s)`` in [-127, 127], ``s`` the
channel's largest magnitude / 127), with every activation left float32. Its agreement with the
float model on the evaluation samples is the part of an int8 variant's flips that the weights
alone cause: when it is already below the budget, activation ranges and observers are not what
limits the variants (the evaluation set has answers that close to a tie). Computed in PyTorch
only; nothing is exported.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from sdkgen.loading import LoadedModel, run_eager

INT8_LIMIT = 127


def round_weights_to_int8(module: Any) -> tuple[Any, int]:
    """A deep copy of ``module`` with conv/linear weights on the int8 per-channel grid, and how
    many weight tensors were rounded."""
    import torch

    rounded = copy.deepcopy(module)
    count = 0
    with torch.no_grad():
        for layer in rounded.modules():
            if not isinstance(layer, (torch.nn.Linear, torch.nn.modules.conv._ConvNd)):
                continue
            weight = layer.weight
            axes = tuple(range(1, weight.ndim))
            scale = weight.abs().amax(dim=axes, keepdim=True) / INT8_LIMIT
            scale = torch.where(scale > 0, scale, torch.ones_like(scale))
            weight.copy_((weight / scale).round().clamp(-INT8_LIMIT, INT8_LIMIT) * scale)
            count += 1
    return rounded, count


def weight_rounding_outputs(
    model: LoadedModel, inputs: Sequence[tuple[np.ndarray, ...]], output_index: int,
) -> tuple[list[np.ndarray], int]:
    """Outputs (``output_index``) of the int8-rounded eager copy on ``inputs``; tensors rounded."""
    import torch

    module, count = round_weights_to_int8(model.module)
    rounded = replace(model, module=module.eval())
    return [run_eager(rounded, tuple(torch.from_numpy(x) for x in sample))[output_index]
            for sample in inputs], count
