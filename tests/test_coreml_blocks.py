"""GGUF blocks carried into a Core ML program (iOS ``gguf-q4``): written, read back, simulated.

The tiny GGUF of ``tests/llm_gguf.py``: attention projections Q4_1, MLP projections Q4_0, the tied
embedding Q8_0. Core ML cannot run here: the saved package's program is read back and its
``constexpr_blockwise_shift_scale`` ops are materialised with coremltools' own formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from llm_gguf import LAYERS, load_tiny_gguf, write_tiny_gguf

torch = pytest.importorskip("torch")
pytest.importorskip("gguf")
pytest.importorskip("coremltools")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(blocks, state) under ExecuTorch's names, and the model's config."""
    from sdkgen.llm.architectures import executorch_state_dict
    from sdkgen.llm.gguf_blocks import executorch_blocks, read_gguf_blocks

    path = write_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.Q4.gguf")
    model = load_tiny_gguf(path)
    config = model.config.to_dict()
    return (executorch_blocks(read_gguf_blocks(path, model), config),
            executorch_state_dict(model.state_dict(), config), config)


def _export(tiny: tuple[dict[str, Any], dict[str, Any], Any], mode: str, folder: Path,
            context: int = 48, block_size: int = 32) -> Any:
    from sdkgen.export.coreml_llm import StatefulExport, export_stateful
    from sdkgen.llm.architectures import model_args

    blocks, state, config = tiny
    return export_stateful(StatefulExport(
        model_args=model_args(config, context), state_dict=state, quantization=mode,
        block_size=block_size, minimum_deployment="18.0", compute_units="ALL",
        artifact_path=folder / f"tiny-{mode}.mlpackage", blocks=blocks if mode == "gguf-q4" else {}))


def test_the_op_inputs_give_the_file_weights_within_float16(
        tiny: tuple[dict[str, Any], dict[str, Any], Any]) -> None:
    """Codes and scales are the file's; the Core ML weight (the op's formula, float16) is within
    float16's rounding of the file's: 1/64 of a step for 4-bit blocks (|w| ≤ 8 steps, plus the
    Q4_1 offset's rounding), 1/16 for Q8_0 (|w| ≤ 127 steps)."""
    from coremltools.converters.mil.mil.ops.defs.iOS18.compression import (
        constexpr_blockwise_shift_scale,
    )

    from sdkgen.export.coreml_blocks import BLOCK, shift_scale

    blocks, _, _ = tiny
    for name, weights in blocks.items():
        carried = shift_scale(weights)
        assert carried is not None, name
        assert np.array_equal(carried.data, weights.codes)
        assert np.array_equal(carried.scale.astype(np.float32), weights.scales)
        assert (carried.offset is None) == (weights.format != "Q4_1")
        ours = carried.decompressed()
        theirs = constexpr_blockwise_shift_scale.decompress(carried.data, carried.scale,
                                                            carried.offset)
        assert np.array_equal(ours, theirs), name  # the op's own formula
        step = np.repeat(np.abs(weights.scales), BLOCK, axis=1)
        change = np.abs(ours.astype(np.float32) - weights.dequantized()) / step
        assert float(change.max()) <= (1 / 16 if weights.format == "Q8_0" else 1 / 64), name


def test_a_block_that_is_only_an_offset_is_not_carried() -> None:
    from sdkgen.export.coreml_blocks import shift_scale
    from sdkgen.llm.gguf_blocks import BlockWeights

    codes = np.zeros((2, 64), dtype=np.int8)
    scales = np.array([[0.5, 0.0], [0.25, 1.0]], dtype=np.float32)
    constant = BlockWeights("Q4_1", codes, scales, np.array([[0.1, 0.3], [0.0, 0.0]], np.float32))
    assert shift_scale(constant) is None  # 0·(q - offset) cannot be 0.3
    zero = BlockWeights("Q4_1", codes, scales, np.array([[0.1, 0.0], [0.0, 0.0]], np.float32))
    carried = shift_scale(zero)
    assert carried is not None
    assert np.array_equal(carried.decompressed().astype(np.float32)[:, 32:], np.zeros((2, 32)))


def test_the_package_holds_the_file_blocks_and_only_weights_are_compressed(
        tiny: tuple[dict[str, Any], dict[str, Any], Any], tmp_path: Path) -> None:
    import dataclasses

    from sdkgen.export.coreml_blocks import package_program, read_carried, shift_scale
    from sdkgen.export.coreml_llm import check_spec, simulated_weights
    from sdkgen.llm.architectures import model_args

    blocks, state, config = tiny
    exported = _export(tiny, "gguf-q4", tmp_path)
    carried = exported.details["carried"]
    formats = sorted(entry.format for entry in carried)
    assert formats == ["Q4_0"] * 3 * LAYERS + ["Q4_1"] * 4 * LAYERS + ["Q8_0"]
    [table] = [entry for entry in carried if entry.format == "Q8_0"]
    assert set(table.tensors) == {"output.weight", "tok_embeddings.weight"}  # one tied constant
    program = package_program(exported.artifact)
    weights = read_carried(program, carried, blocks)
    assert set(weights) == {name for entry in carried for name in entry.tensors}
    for name, values in weights.items():
        expected = shift_scale(blocks[name])
        assert expected is not None
        assert np.array_equal(values, expected.decompressed().astype(np.float32)), name
    checks = check_spec(exported.artifact, model_args(config, 48), program)
    assert all(check.passed for check in checks), [c for c in checks if not c.passed]
    simulated = simulated_weights(state, "gguf-q4", 32, weights)
    assert torch.equal(simulated["layers.0.attention.wq.weight"],
                       torch.from_numpy(weights["layers.0.attention.wq.weight"]))
    # a package whose blocks are not the ones claimed is refused, naming the tensor
    swapped = [dataclasses.replace(entry, tensors=("layers.0.feed_forward.w3.weight",))
               if entry.tensors == ("layers.0.feed_forward.w1.weight",) else entry
               for entry in carried]
    with pytest.raises(ValueError, match=r"layers\.0\.feed_forward\.w3\.weight"):
        read_carried(program, swapped, blocks)


def test_the_rotary_tables_stay_float16_in_a_4_bit_package(
        tiny: tuple[dict[str, Any], dict[str, Any], Any], tmp_path: Path) -> None:
    """coremltools' global config compressed every constant of more than 2,048 elements, the
    cos/sin tables too (SmolLM2: [1024, 64] at 4 bits); only weights are compressed now."""
    from sdkgen.export.coreml_blocks import compressed_constants, package_program
    from sdkgen.export.coreml_llm import check_spec
    from sdkgen.llm.architectures import model_args

    _, _, config = tiny
    context = 160  # cos/sin [160, 16]: 2,560 elements, blocks of 16 (a head's width)
    exported = _export(tiny, "int4_blockwise", tmp_path, context, block_size=16)
    program = package_program(exported.artifact)
    consumers = {child.op_type for op in compressed_constants(program).values()
                 for child in op.outputs[0].child_ops}
    assert consumers == {"linear", "gather"}
    checks = check_spec(exported.artifact, model_args(config, context), program)
    assert all(check.passed for check in checks), [c for c in checks if not c.passed]


def test_gguf_q4_without_blocks_is_refused_at_export(
        tiny: tuple[dict[str, Any], dict[str, Any], Any], tmp_path: Path) -> None:
    from sdkgen.errors import ExportError
    from sdkgen.export.coreml_llm import StatefulExport, export_stateful
    from sdkgen.llm.architectures import model_args

    _, state, config = tiny
    with pytest.raises(ExportError, match="Q4_0/Q4_1"):
        export_stateful(StatefulExport(
            model_args=model_args(config, 48), state_dict=state, quantization="gguf-q4",
            block_size=32, minimum_deployment="18.0", compute_units="ALL",
            artifact_path=tmp_path / "none.mlpackage", blocks={}))
    assert not (tmp_path / "none.mlpackage").exists()
