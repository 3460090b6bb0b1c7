"""The token embedding of a quantised decoder stored at 8 bits per weight, in blocks of 32.

Left in float32, the embedding table is the largest part of a small quantised decoder (SmolLM2-135M:
49,152 × 576 weights, 113 MB of a 190 MB 8da4w ``.pte``), although a token reads one row of it.
XNNPACK does not delegate the lookup; ExecuTorch's quantized kernel library runs it
(``quantized_decomposed::embedding_byte``, in the Python runtime, the C++ LLM runner and Android's
``executorch-android``, whose preset builds ``EXECUTORCH_BUILD_KERNELS_QUANTIZED``).

The grid is llama.cpp's ``Q8_0``: per block of 32 values of a row, a scale ``d = max|w| / 127``
rounded to float16 and signed codes ``q = round(w / d)`` in −127…127, ``w ≈ d·q``. A GGUF whose
embedding is already ``Q8_0`` is therefore carried exactly: its dequantised weights have
``max|w| = 127·d`` in every block, so ``d`` and every code come back as the file stores them. A row
whose width is not a multiple of 32 gets one scale per row. The scales are stored as float32
(1/16 of the codes' bytes more than float16): ExecuTorch's eager reference of the lookup
multiplies in the scales' dtype, so float16 scales would round every weight once more.
"""

from __future__ import annotations

from typing import Any

BLOCK = 32
CODE_MAX = 127


def eight_bit_blocks(weight: Any, block: int = BLOCK) -> tuple[Any, Any]:
    """``(codes int8 [rows, width], scales [rows, width / block])`` of a float matrix; the scales
    are float32 holding float16 values.

    The scale is rounded to float16 first and the codes are computed against the rounded scale,
    so ``scale·code`` is the nearest point of the grid that is stored.
    """
    import torch

    rows, width = weight.shape
    values = weight.detach().to(torch.float32).reshape(rows, width // block, block)
    scales = (values.abs().amax(dim=-1) / CODE_MAX).to(torch.float16).to(torch.float32)
    scales = torch.where(scales == 0, torch.ones_like(scales), scales)
    codes = torch.round(values / scales.unsqueeze(-1))
    codes = codes.clamp(-CODE_MAX, CODE_MAX).to(torch.int8).reshape(rows, width)
    return codes, scales


def quantize_embedding(model: Any) -> dict[str, Any]:
    """Swap ``model.tok_embeddings`` (ExecuTorch's Transformer) for the 8-bit blockwise lookup.

    Returns what the report records: the bits, the block size and the largest absolute change of
    a weight.
    """
    import torch
    from executorch.examples.models.llama.source_transformation.quantize import (
        QuantizedGroupEmbedding,
    )

    embedding = model.tok_embeddings
    vocab, width = embedding.weight.shape
    block = BLOCK if width % BLOCK == 0 else width
    codes, scales = eight_bit_blocks(embedding.weight, block)
    lookup = QuantizedGroupEmbedding(device="cpu", vocab_size=vocab, embedding_dim=width,
                                     group_size=block, dtype=torch.float32, bitwidth=8,
                                     scales_precision=torch.float32)
    lookup.weight = codes
    lookup.scales = scales if block < width else scales.reshape(vocab)
    stored = codes.to(torch.float32) * torch.repeat_interleave(scales, block, 1)
    change = float((stored - embedding.weight.detach().to(torch.float32)).abs().max())
    model.tok_embeddings = lookup
    return {"bits": 8, "block": block, "max_abs_change": change}
