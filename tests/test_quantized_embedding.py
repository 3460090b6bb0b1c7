"""The 8-bit blockwise token embedding of quantised decoders (llama.cpp's Q8_0 grid)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")


def _q8_0_table(rows: int, width: int, seed: int) -> tuple[object, object, object]:
    """Codes, float16 scales and the float32 weights a GGUF loader makes of a Q8_0 table."""
    generator = torch.Generator().manual_seed(seed)
    codes = torch.randint(-127, 128, (rows, width), generator=generator, dtype=torch.int16)
    blocks = codes.reshape(rows, width // 32, 32)
    blocks[:, :, 0] = torch.where(torch.rand(rows, width // 32, generator=generator) < 0.5,
                                  127, -127)  # a Q8_0 block always reaches ±127
    scales = (torch.rand(rows, width // 32, generator=generator) * 0.02 + 1e-4).to(torch.float16)
    weights = codes.to(torch.float32) * torch.repeat_interleave(scales.to(torch.float32), 32, 1)
    return codes.to(torch.int8), scales, weights


def test_a_q8_0_table_comes_back_as_the_file_stores_it() -> None:
    from sdkgen.export.quantized_embedding import eight_bit_blocks

    codes, scales, weights = _q8_0_table(64, 96, seed=0)
    found_codes, found_scales = eight_bit_blocks(weights)
    assert found_scales.dtype == torch.float32
    assert torch.equal(found_scales, scales.to(torch.float32))
    assert torch.equal(found_codes, codes)


def test_float_weights_move_by_at_most_half_a_step() -> None:
    from sdkgen.export.quantized_embedding import eight_bit_blocks

    generator = torch.Generator().manual_seed(1)
    weights = torch.randn(50, 64, generator=generator) * torch.logspace(-1, 1, 50).unsqueeze(1)
    weights[3] = 0.0  # an all-zero row: scale 1, codes 0, no division by zero
    codes, scales = eight_bit_blocks(weights)
    assert int(codes.abs().max()) <= 127
    step = torch.repeat_interleave(scales, 32, 1)
    stored = codes.to(torch.float32) * step
    assert bool(((stored - weights).abs() <= step / 2 * (1 + 1e-6)).all())
    assert torch.equal(stored[3], torch.zeros(64))


@pytest.mark.parametrize("width", [64, 48])  # blocks of 32; one scale per row
def test_the_lookup_returns_the_stored_rows(width: int) -> None:
    from executorch.exir.passes import _quant_patterns_and_replacements  # noqa: F401 (the op)
    from torch import nn

    from sdkgen.export.quantized_embedding import quantize_embedding

    class Holder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tok_embeddings = nn.Embedding(40, width)

    holder = Holder()
    float_rows = holder.tok_embeddings.weight.detach().clone()
    recorded = quantize_embedding(holder)
    block = 32 if width % 32 == 0 else width
    assert recorded["bits"] == 8 and recorded["block"] == block
    ids = torch.tensor([[0, 7, 39, 7]])
    with torch.no_grad():
        rows = holder.tok_embeddings(ids)
    assert rows.dtype == torch.float32 and rows.shape == (1, 4, width)
    step = float_rows[ids[0]].abs().reshape(4, -1, block).amax(-1) / 127
    error = (rows[0] - float_rows[ids[0]]).abs().reshape(4, -1, block)
    assert bool((error <= step.unsqueeze(-1) * 0.51 + 1e-7).all())
    assert recorded["max_abs_change"] == pytest.approx(
        float((holder.tok_embeddings(torch.arange(40)) - float_rows).abs().max()))
