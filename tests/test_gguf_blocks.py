"""GGUF Q4_0/Q4_1/Q8_0 blocks carried exactly: read, mapped onto XNNPACK's grid, exported.

A tiny random Llama written as a GGUF file (``tests/llm_gguf.py``): attention projections Q4_1,
MLP projections Q4_0, the tied embedding Q8_0.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llm_gguf import ATTENTION_FORMAT, LAYERS, load_tiny_gguf, projection_format, write_tiny_gguf

torch = pytest.importorskip("torch")
pytest.importorskip("gguf")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    path = write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.Q4.gguf")
    return path, load_tiny_gguf(path)


def test_every_quantised_matrix_reconstructs_the_loaded_weight_bit_for_bit(tiny: tuple[Path, Any]
                                                                           ) -> None:
    from sdkgen.llm.gguf_blocks import read_gguf_blocks

    path, model = tiny
    blocks = read_gguf_blocks(path, model)
    # 7 projections per layer plus the embedding: none dropped by the exactness check
    assert len(blocks) == 7 * LAYERS + 1
    assert blocks["model.embed_tokens.weight"].format == "Q8_0"
    state = model.state_dict()
    for name, weights in blocks.items():
        layer_format = weights.format
        if name.startswith("model.layers."):
            assert layer_format == projection_format(name)
        assert np.array_equal(weights.dequantized(), state[name].numpy())
        if weights.bits == 4:
            assert weights.codes.min() >= -8 and weights.codes.max() <= 7
        assert (weights.offsets is not None) == (layer_format == "Q4_1")


def test_the_xnnpack_grid_keeps_the_weights(tiny: tuple[Path, Any]) -> None:
    """Positive bfloat16 scales, codes in −8…7; the weights move by at most 15/256 of a step
    (bfloat16 keeps 8 significant bits: 2^-8 relative, times at most 15 = q - mean q)."""
    from sdkgen.export.block_linears import BLOCK, xnnpack_blocks
    from sdkgen.llm.gguf_blocks import read_gguf_blocks

    path, model = tiny
    for name, weights in read_gguf_blocks(path, model).items():
        if weights.bits != 4:
            continue
        scales = torch.from_numpy(weights.scales)
        codes, rounded, offsets = xnnpack_blocks(
            torch.from_numpy(weights.codes), scales,
            None if weights.offsets is None else torch.from_numpy(weights.offsets))
        assert bool((rounded > 0).all()), name
        assert torch.equal(rounded, rounded.to(torch.bfloat16).float())
        assert int(codes.min()) >= -8 and int(codes.max()) <= 7
        rebuilt = torch.repeat_interleave(rounded, BLOCK, 1) * codes.float()
        if offsets is not None:
            rebuilt = rebuilt + torch.repeat_interleave(offsets, BLOCK, 1)
        step = torch.repeat_interleave(scales.abs(), BLOCK, 1)
        error = (rebuilt - torch.from_numpy(weights.dequantized())).abs()
        assert bool((error <= step * 15 / 256 + 1e-7).all()), (name, float((error / step).max()))


def test_bfloat16_exact_scales_give_the_exact_weights() -> None:
    """Negative (Q4_0) and zero scales are moved into the offsets without any loss."""
    from sdkgen.export.block_linears import BLOCK, xnnpack_blocks

    generator = torch.Generator().manual_seed(0)
    codes = torch.randint(-8, 8, (4, 2 * BLOCK), generator=generator, dtype=torch.int8)
    scales = torch.tensor([[0.5, -0.25], [0.0, 2.0], [-1.0, 0.125], [0.75, -0.0]])
    fixed, rounded, offsets = xnnpack_blocks(codes, scales, None)
    expected = torch.repeat_interleave(scales, BLOCK, 1) * codes.float()
    rebuilt = torch.repeat_interleave(rounded, BLOCK, 1) * fixed.float()
    assert offsets is not None
    rebuilt = rebuilt + torch.repeat_interleave(offsets, BLOCK, 1)
    assert torch.equal(rebuilt, expected)
    assert int(fixed.min()) >= -8 and int(fixed.max()) <= 7


@pytest.mark.slow  # one tiny export (ExecuTorch LLM path, XNNPACK)
def test_the_gguf_q4_pte_computes_what_the_carried_module_computes(
        tiny: tuple[Path, Any], tmp_path: Path) -> None:
    """The exported ``.pte`` (XNNPACK) against the same carried module in eager PyTorch, and both
    against the float model."""
    from sdkgen.export.block_linears import carry_blocks
    from sdkgen.export.executorch_llm import DecoderExport, build_transformer, export_decoder
    from sdkgen.llm.architectures import executorch_state_dict, model_args
    from sdkgen.llm.evaluate import PteDecoder
    from sdkgen.llm.gguf_blocks import executorch_blocks, read_gguf_blocks

    path, model = tiny
    config = model.config.to_dict()
    blocks = executorch_blocks(read_gguf_blocks(path, model), config)
    assert blocks["output.weight"] is blocks["tok_embeddings.weight"]  # tied: the Q8_0 table
    state = executorch_state_dict(model.state_dict(), config)
    arguments = model_args(config, 48)
    ids = [int(i) for i in np.random.default_rng(1).integers(3, 96, 32)]

    def stepped(module: Any) -> Any:
        rows = []
        for position, token in enumerate(ids):
            output = module(torch.tensor([[token]]), {"input_pos": torch.tensor([position])})
            rows.append((output[0] if isinstance(output, tuple) else output).reshape(-1))
        return torch.stack(rows)

    with torch.no_grad():
        float_logits = stepped(build_transformer(arguments, state, export_ready=False))
        carried, counts = carry_blocks(build_transformer(arguments, state, export_ready=False),
                                       blocks)
        carried_logits = stepped(carried)
    # the tied Q8_0 output projection: two 4-bit halves, not re-quantised per channel
    assert counts == {"four_bit_blocks": 7 * LAYERS, "with_offsets": counts["with_offsets"],
                      "eight_bit_blocks": 1, "eight_bit_per_channel": 0}
    assert ATTENTION_FORMAT == "Q4_1" and counts["with_offsets"] >= 4 * LAYERS  # q, k, v, o at least
    exported = export_decoder(DecoderExport(
        model_args=arguments, state_dict=state, quantization="gguf-q4", group_size=32,
        bos_id=None, eos_ids=(1,), artifact_path=tmp_path / "tiny-gguf-q4.pte", blocks=blocks))
    # the tied Q8_0 table is the lookup's grid: carried without changing a weight
    assert exported.details["embedding"] == {"bits": 8, "block": 32, "max_abs_change": 0.0}
    decoder = PteDecoder(exported.artifact)
    pte_logits = torch.stack([torch.from_numpy(decoder.step([t], i)) for i, t in enumerate(ids)])
    scale = float(float_logits.abs().max())
    assert float((pte_logits - carried_logits).abs().max()) < 0.02 * scale
    agreement = float((pte_logits.argmax(-1) == float_logits.argmax(-1)).float().mean())
    assert agreement >= 0.85, agreement


def test_init_offers_gguf_q4_only_for_a_file_of_four_bit_blocks(tiny: tuple[Path, Any],
                                                              tmp_path: Path) -> None:
    from gguf import GGUFWriter

    from sdkgen.llm.gguf_blocks import four_bit_tensors

    path, _ = tiny
    assert four_bit_tensors(path) == 7 * LAYERS
    plain = GGUFWriter(str(tmp_path / "float.gguf"), "llama")
    plain.add_tensor("token_embd.weight", np.zeros((8, 32), dtype=np.float32))
    plain.write_header_to_file()
    plain.write_kv_data_to_file()
    plain.write_tensors_to_file()
    plain.close()
    assert four_bit_tensors(tmp_path / "float.gguf") == 0


def test_a_file_whose_embedding_has_no_blocks_maps_its_layers(tiny: tuple[Path, Any]) -> None:
    """llama.cpp may leave the embedding in float: the layers' blocks still map (this raised
    KeyError('tok_embeddings.weight') when the tied output looked for the embedding's blocks)."""
    from sdkgen.llm.gguf_blocks import executorch_blocks, read_gguf_blocks

    path, model = tiny
    blocks = read_gguf_blocks(path, model)
    del blocks["model.embed_tokens.weight"]
    mapped = executorch_blocks(blocks, model.config.to_dict())
    assert len(mapped) == 7 * LAYERS
    assert "output.weight" not in mapped and "tok_embeddings.weight" not in mapped
