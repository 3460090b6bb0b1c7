"""Carry llama.cpp's blocks into XNNPACK's 8-bit-activation / 4-bit-blockwise linear as they are.

XNNPACK's ``qd8-f32-qb4w`` fully-connected (what torchao's 8da4w lowers to) computes
``y = Σ_blocks scale·(q − 8)·x̂`` with symmetric 4-bit codes, one bfloat16 scale per block of 32
input channels and ``x̂`` the input quantised to int8 per token. llama.cpp's blocks fit it:

- ``Q4_0`` (``w = d·(u − 8)``) is that grid exactly;
- ``Q4_1`` (``w = d·u + m``) is ``d·(u − 8) + m′`` with ``m′ = m + 8d`` per block, so
  ``W·x̂ = qb4w(x̂) + M′·blocksum(x̂)``: the 4-bit linear plus a small float32 linear over the sums
  of each block of 32 inputs (``M′`` is ``[out, in/32]``, 1/32 of the weights' count); the block
  sums are themselves a 4-bit linear (a ``[in/32, in]`` matrix of ones), so both terms see the
  same int8-quantised input ``x̂`` and the sum is exactly ``W·x̂``.

The scales become bfloat16 in the delegate (``d`` is float16 in the file): each scale is rounded
here to bfloat16 already, so that the eager module and the ``.pte`` compute the same thing, and
the block mean of the rounding residual ``(d − d_bf16)·mean(q)`` is folded into ``M′`` (what is
left is ``(d − d_bf16)·(q − mean q)``: at most 2^-8 relative rounding times 15, i.e. 15/256 of a
quantisation step).

``Q8_0`` blocks (``w = d·q``, q in −127…127: typically the tied embedding that is also the output
projection) fit the same kernel as two 4-bit halves: ``q − 8 = 16·hi + lo`` with both in −8…7, so
``W·x̂ = qb4w(hi, 16d)·x̂ + qb4w(lo, d)·x̂ + 8d·blocksum(x̂)``: two 4-bit linears of the same input
plus the offsets. The bytes read per token are those of an 8-bit matrix, and the weights are the
file's within the bfloat16 rounding of ``d`` (``(d − d_bf16)·(q − mean q)``: at most half a step
of the block, as ``|q − mean q| ≤ 255``), where re-quantising them to 8 bits per output channel
moves them by up to half a step of the whole row's scale. (One 4-bit linear over
``[x̂ ; x̂]`` would be one product, but XNNPACK's partitioner leaves a concatenation of a tensor with
itself outside the delegate.)

Linears without blocks (float tensors, other formats) are quantised by torchao as in the
``8da8w`` mode (8-bit weights per output channel).
Inputs: any object with ``codes`` (int8 ``[out, in]``), ``scales`` and ``offsets`` (float32
``[out, in/32]`` or ``None``) and ``bits``, keyed by the Transformer's parameter name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sdkgen.export.module_tree import child_slots

BLOCK = 32


def xnnpack_blocks(codes: Any, scales: Any, offsets: Any | None) -> tuple[Any, Any, Any | None]:
    """Codes, scales and offsets that XNNPACK's blockwise 4-bit tensor accepts and that compute
    the same weights: scales positive and rounded to bfloat16, the difference moved into the
    per-block offsets (``None`` when they are all zero).

    - a negative scale (Q4_0 stores ``d = max / −8``): ``d·q = |d|·(−q − 1) + |d|``, and
      ``−q − 1`` stays in −8…7;
    - a zero scale (a constant block): codes 0, scale 1 (the block is its offset);
    - bfloat16 rounding: ``d·q = d_bf16·q + (d − d_bf16)·q``; the block mean of the last term goes
      into the offset, the rest (at most 15/256 of a step per weight) is the only inexact part.
    """
    import torch

    codes = codes.to(torch.int8)
    scales = scales.to(torch.float32)
    extra = torch.zeros_like(scales) if offsets is None else offsets.to(torch.float32).clone()
    per_weight = torch.repeat_interleave
    negative = scales < 0
    if bool(negative.any()):
        flip = per_weight(negative, BLOCK, dim=1)
        codes = torch.where(flip, -codes.to(torch.int16) - 1, codes.to(torch.int16)).to(torch.int8)
        extra = extra + torch.where(negative, -scales, torch.zeros_like(scales))
        scales = scales.abs()
    zero = scales == 0
    if bool(zero.any()):
        codes = torch.where(per_weight(zero, BLOCK, dim=1), torch.zeros_like(codes), codes)
        scales = torch.where(zero, torch.ones_like(scales), scales)
    rounded = scales.to(torch.bfloat16).to(torch.float32)
    mean = codes.to(torch.float32).reshape(codes.shape[0], -1, BLOCK).mean(dim=-1)
    extra = extra + (scales - rounded) * mean
    return codes, rounded, extra if bool(torch.any(extra != 0)) else None


def byte_codes_as_nibbles(codes: Any) -> tuple[Any, Any]:
    """8-bit codes ``q`` (−128…127) as two 4-bit codes with ``q − 8 = 16·hi + lo``, both in −8…7."""
    import torch

    shifted = codes.to(torch.int16) - 8
    low = torch.remainder(shifted + 8, 16) - 8
    high = torch.div(shifted - low, 16, rounding_mode="floor")
    return high.to(torch.int8), low.to(torch.int8)


def byte_blocks_as_nibbles(codes: Any, scales: Any) -> tuple[Any, Any, Any]:
    """``Q8_0`` codes and scales as the 4-bit codes, scales and offsets of ``[hi | lo]``, side by
    side along the input: ``d·q = 16d·hi + d·lo + 8d`` (offsets ``[out, 2·in/32]``, zero on
    ``lo``)."""
    import torch

    high, low = byte_codes_as_nibbles(codes)
    scales = scales.to(torch.float32)
    return (torch.cat([high, low], dim=1), torch.cat([16 * scales, scales], dim=1),
            torch.cat([8 * scales, torch.zeros_like(scales)], dim=1))


def block_sum_matrix(in_features: int) -> Any:
    """``[in/32, in]`` of ones on each block: ``x @ S.T`` sums each block of 32 inputs."""
    import torch

    return torch.repeat_interleave(torch.eye(in_features // BLOCK, dtype=torch.float32), BLOCK,
                                   dim=1)


def _block_offset_linear_class() -> type:
    import torch
    from torch import nn

    class BlockOffsetLinear(nn.Module):
        """``linear(x) + offsets(block_sums(x))``: a symmetric 4-bit linear plus the per-block
        offsets of an asymmetric (Q4_1) block format."""

        def __init__(self, linear: nn.Linear, offsets: torch.Tensor,
                     low: nn.Linear | None = None) -> None:
            """``low``: the second 4-bit linear of an 8-bit block's two halves (``linear``
            holds the high half)."""
            super().__init__()
            out_features, blocks = offsets.shape
            self.linear = linear
            self.low = low
            self.in_features = linear.in_features
            self.block_sums = block_sum_linear(self.in_features)
            self.offsets = nn.Linear(blocks, out_features, bias=False)
            self.offsets.weight = nn.Parameter(offsets.to(torch.float32), requires_grad=False)
            self.register_buffer("keep", None)

        def take_outliers(self, indices: torch.Tensor, weight: torch.Tensor) -> None:
            """Leave the input channels ``indices`` out of the 4-bit product (and out of the
            block sums) and add their float columns of ``weight`` (the exact ``[out, in]``
            weights) through the offsets' float linear, whose input becomes the block sums
            followed by the outlier channels themselves (sdkgen.export.outlier_channels)."""
            from sdkgen.export.outlier_channels import keep_mask, selection_matrix

            in_features = self.in_features
            self.keep = keep_mask(indices, in_features)
            self.select = nn.Linear(in_features, len(indices), bias=False)
            self.select.weight = nn.Parameter(selection_matrix(indices, in_features),
                                              requires_grad=False)
            columns = torch.cat([self.offsets.weight.detach(),
                                 weight[:, indices].to(torch.float32)], dim=1)
            self.offsets = nn.Linear(columns.shape[1], columns.shape[0], bias=False)
            self.offsets.weight = nn.Parameter(columns.contiguous(), requires_grad=False)

        def product(self, x: torch.Tensor) -> torch.Tensor:
            """The 4-bit linears' part."""
            return self.linear(x) if self.low is None else self.linear(x) + self.low(x)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.keep is None:
                return self.product(x) + self.offsets(self.block_sums(x))
            kept = x * self.keep
            sums = torch.cat([self.block_sums(kept), self.select(x)], dim=-1)
            return self.product(kept) + self.offsets(sums)

    return BlockOffsetLinear


def block_sum_linear(in_features: int) -> Any:
    """The sums of each block of 32 inputs as a 4-bit linear (codes 1, scales 1: exact): it sums
    the same int8-quantised input the 4-bit linear multiplies, and costs 1/8 of a float matrix."""
    import torch
    from torch import nn

    blocks = in_features // BLOCK
    sums = nn.Linear(in_features, blocks, bias=False)
    sums.weight = nn.Parameter(four_bit_weight(block_sum_matrix(in_features).to(torch.int8),
                                               torch.ones(blocks, blocks)), requires_grad=False)
    return sums


def four_bit_linear(codes: Any, scales: Any) -> Any:
    """A bias-free ``nn.Linear`` holding :func:`four_bit_weight` (``codes``: ``[out, in]``)."""
    from torch import nn

    linear = nn.Linear(codes.shape[1], codes.shape[0], bias=False)
    linear.weight = nn.Parameter(four_bit_weight(codes, scales), requires_grad=False)
    return linear


def four_bit_weight(codes: Any, scales: Any) -> Any:
    """torchao's 8da4w weight (what its ``Int8DynamicActivationIntxWeightConfig`` makes) holding
    the given codes and scales instead of re-quantising."""
    import torch
    from torchao.quantization.quantize_.workflows.intx.intx_unpacked_to_int8_tensor import (
        IntxUnpackedToInt8Tensor,
        IntxUnpackedToInt8TensorActivationQuantization,
    )

    return IntxUnpackedToInt8Tensor(
        qdata=codes.to(torch.int8), scale=scales.to(torch.float32),
        zero_point=torch.zeros_like(scales, dtype=torch.int8), target_dtype=torch.int4,
        block_size=(1, BLOCK), dtype=torch.float32,
        activation_quantization=IntxUnpackedToInt8TensorActivationQuantization.INT8_ASYM_PER_TOKEN,
    )


def carry_blocks(model: Any, blocks: Mapping[str, Any]) -> tuple[Any, dict[str, int]]:
    """Swap every ``nn.Linear`` of ``model`` whose weight has llama.cpp blocks for their exact
    4-bit form (``Q8_0``: two 4-bit halves); quantise the other linears to 8-bit per channel.
    Returns the model and counts."""
    import torch
    from torch import nn
    from torchao.quantization import Int8DynamicActivationIntxWeightConfig, quantize_
    from torchao.quantization.granularity import PerAxis

    offset_linear = _block_offset_linear_class()
    # the carried modules and their parts, by identity
    carried: set[int] = set()
    counts = {"four_bit_blocks": 0, "with_offsets": 0, "eight_bit_blocks": 0,
              "eight_bit_per_channel": 0}
    for parent, name, qualified, child in child_slots(model):
        source = blocks.get(f"{qualified}.weight")
        if not isinstance(child, nn.Linear) or source is None:
            continue
        if child.bias is not None or tuple(child.weight.shape) != tuple(source.codes.shape):
            continue
        codes, scales = torch.as_tensor(source.codes), torch.as_tensor(source.scales)
        offsets = None if source.offsets is None else torch.as_tensor(source.offsets)
        if source.bits == 8:
            codes, scales, offsets = byte_blocks_as_nibbles(codes, scales)
        codes, scales, offsets = xnnpack_blocks(codes, scales, offsets)
        if source.bits == 8:
            # both halves of a block read the same inputs: one offset (and block sum) per block
            high, low = (four_bit_linear(c, s) for c, s in zip(
                codes.chunk(2, dim=1), scales.chunk(2, dim=1), strict=True))
            halves = offsets if offsets is not None else torch.zeros_like(scales)
            high_offsets, low_offsets = halves.chunk(2, dim=1)
            replacement: nn.Module = offset_linear(high, high_offsets + low_offsets, low)
            counts["eight_bit_blocks"] += 1
        else:
            replacement = four_bit_linear(codes, scales)
            if offsets is not None:
                replacement = offset_linear(replacement, offsets)
                counts["with_offsets"] += 1
            counts["four_bit_blocks"] += 1
        setattr(parent, name, replacement)
        carried.update(id(module) for module in replacement.modules())

    def others(module: nn.Module, qualified: str) -> bool:
        if isinstance(module, nn.Linear) and id(module) not in carried:
            counts["eight_bit_per_channel"] += 1
            return True
        return False

    quantize_(model, Int8DynamicActivationIntxWeightConfig(weight_dtype=torch.int8,
                                                           weight_granularity=PerAxis(0)),
              filter_fn=others)
    return model, counts
