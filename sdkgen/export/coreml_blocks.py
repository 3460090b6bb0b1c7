"""Carry llama.cpp's blocks into a Core ML program as they are (iOS 18).

iOS 18's ``constexpr_blockwise_shift_scale`` holds a weight as ``data`` (int4 or int8), one
``scale`` per block and an optional ``offset`` per block, and computes ``scale·(data − offset)``
when the model loads. llama.cpp's blocks of 32 input channels fit it:

- ``Q4_0`` (``w = d·(u − 8)``): ``data = u − 8`` (int4), ``scale = d``: the file's weights exactly;
- ``Q8_0`` (``w = d·q``): ``data = q`` (int8), ``scale = d``: exactly;
- ``Q4_1`` (``w = d·u + m``): ``data = u − 8`` (int4), ``scale = d``, ``offset = −(m + 8d)/d``, a
  float16 (the op's ``OffsetT`` may be float16). Codes and scales are the file's; the offset is
  rounded to float16 (11 significant bits; ``|offset|`` is small because ``m ≈ −8d``), which moves
  a weight by ``d·|δoffset|``: a few thousandths of a quantisation step (reported per build).

Core ML computes in float16 and the file's ``d`` is a float16, so the scales are stored as they
are. Which constant of the converted program is which weight is found by value: each 2-D
constant equal to a block tensor's weights (as float16, or transposed) is replaced. A block whose
scale is 0 but whose offset is not cannot be written as ``scale·(data − offset)``: such a tensor is
not carried (left to the caller's fallback format).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

BLOCK = 32
# which constants are weights, for every Core ML compression sdkgen writes: those consumed by these
# ops (the rotary tables feed ``slice_by_index`` and stay float16; coremltools' global config
# rounded them to 4 bits too), of more than this many elements (coremltools' default threshold)
WEIGHT_CONSUMERS = ("linear", "matmul", "gather", "conv")
WEIGHT_THRESHOLD = 2048


@dataclass(frozen=True)
class ShiftScale:
    """One weight matrix as ``constexpr_blockwise_shift_scale`` inputs, ``[out, in]`` layout."""

    format: str  # the GGUF block format it came from
    data: np.ndarray  # int8 [out, in]: -8..7 (stored as int4) or -127..127 (int8)
    scale: np.ndarray  # float16 [out, in/32]
    offset: np.ndarray | None  # float16 [out, in/32], or None

    @property
    def bits(self) -> int:
        return 8 if self.format == "Q8_0" else 4

    def decompressed(self) -> np.ndarray:
        """The weights Core ML materialises: the op's own formula (coremltools 9.0
        ``constexpr_blockwise_shift_scale.decompress``), in float16."""
        data = self.data.astype(np.float16)
        scale = np.repeat(self.scale, BLOCK, axis=1)
        if self.offset is not None:
            data = data - np.repeat(self.offset, BLOCK, axis=1)
        return scale * data


def shift_scale(blocks: Any) -> ShiftScale | None:
    """``blocks`` (a :class:`sdkgen.llm.gguf_blocks.BlockWeights`) as the op's inputs, or ``None``
    when a block cannot be written that way (a zero scale with a non-zero offset)."""
    scale = blocks.scales.astype(np.float16)
    if not np.array_equal(scale.astype(np.float32), blocks.scales):
        return None  # not a float16 scale: not a GGUF block
    if blocks.offsets is None:
        return ShiftScale(blocks.format, blocks.codes.astype(np.int8), scale, None)
    zero = scale == 0
    if np.any(zero & (blocks.offsets != 0)):
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.where(zero, 0.0, -blocks.offsets.astype(np.float64)
                          / blocks.scales.astype(np.float64))
    return ShiftScale(blocks.format, blocks.codes.astype(np.int8), scale,
                      offset.astype(np.float16))


def _fingerprint(values: np.ndarray) -> tuple[tuple[int, ...], str]:
    contiguous = np.ascontiguousarray(values)
    return contiguous.shape, hashlib.sha256(contiguous.tobytes()).hexdigest()


@dataclass(frozen=True)
class CarriedTensor:
    """One constant of the program replaced by a tensor's blocks."""

    constant: str  # the const op's name in the converted program
    tensors: tuple[str, ...]  # the state names whose weights it holds (a tied pair: two)
    format: str
    transposed: bool  # the program held the weight as [in, out]
    max_step_change: float  # max |Core ML weight - file weight| / d, over the blocks


def _oriented(array: np.ndarray, transposed: bool) -> np.ndarray:
    return np.ascontiguousarray(array.T if transposed else array)


def _shift_scale_table(blocks: Mapping[str, Any]) -> dict[str, ShiftScale]:
    table = {}
    for name, weights in sorted(blocks.items()):
        carried = shift_scale(weights)
        if carried is not None:
            table[name] = carried
    return table


def _max_step_change(carried: ShiftScale, weights: Any) -> float:
    step = np.repeat(np.abs(carried.scale.astype(np.float32)), BLOCK, axis=1)
    change = np.abs(carried.decompressed().astype(np.float32) - weights.dequantized())
    return float(np.max(np.where(step > 0, change / np.where(step > 0, step, 1), 0.0),
                        initial=0.0))


@dataclass(frozen=True)
class CarriedProgram:
    mlmodel: Any
    carried: list[CarriedTensor]
    # weight constants (WEIGHT_CONSUMERS, WEIGHT_THRESHOLD) that no block matched
    uncarried: list[str]


def carry_gguf_blocks(mlmodel: Any, blocks: Mapping[str, Any]) -> CarriedProgram:
    """``mlmodel`` (a converted ``mlprogram``) with every constant equal to a tensor of ``blocks``
    (state name → ``BlockWeights``) replaced by that tensor's ``constexpr_blockwise_shift_scale``,
    what was replaced, and the weights (see ``WEIGHT_CONSUMERS``) left as they are."""
    from coremltools.converters.mil import Builder as mb
    from coremltools.converters.mil.mil import types
    from coremltools.converters.mil.mil.passes.graph_pass import AbstractGraphPass
    from coremltools.converters.mil.mil.passes.helper import block_context_manager
    from coremltools.models.utils import _apply_graph_pass

    table = _shift_scale_table(blocks)
    by_value: dict[tuple[tuple[int, ...], str], tuple[list[str], bool]] = {}
    for name in table:
        weights = blocks[name].dequantized().astype(np.float16)
        for transposed, values in ((False, weights), (True, weights.T)):
            entry = by_value.setdefault(_fingerprint(values), ([], transposed))
            entry[0].append(name)
    found: list[CarriedTensor] = []
    uncarried: list[str] = []

    def replace(op: Any) -> None:
        value = op.outputs[0].val
        if not isinstance(value, np.ndarray) or value.dtype not in (np.float16, np.float32):
            return
        match = by_value.get(_fingerprint(value)) if value.dtype == np.float16 else None
        if match is None:
            if value.size > WEIGHT_THRESHOLD and any(child.op_type in WEIGHT_CONSUMERS
                                         for child in op.outputs[0].child_ops):
                uncarried.append(op.name)
            return
        names, transposed = match
        carried = table[names[0]]

        data = _oriented(carried.data, transposed)
        data = data.astype(types.np_int4_dtype) if carried.bits == 4 else data.astype(np.int8)
        new = mb.constexpr_blockwise_shift_scale(
            data=data, scale=_oriented(carried.scale, transposed),
            offset=None if carried.offset is None else _oriented(carried.offset, transposed),
            before_op=op, name=op.name + "_gguf_" + carried.format.lower())
        op.enclosing_block.replace_uses_of_var_after_op(
            anchor_op=op, old_var=op.outputs[0], new_var=new, no_check_var_types=True)
        op.enclosing_block.remove_ops([op])
        found.append(CarriedTensor(op.name, tuple(names), carried.format, transposed,
                                   _max_step_change(carried, blocks[names[0]])))

    class CarryBlocks(AbstractGraphPass):
        def apply(self, prog: Any) -> None:
            @block_context_manager
            def visit(block: Any) -> None:
                for op in list(block.operations):
                    for inner in op.blocks:
                        visit(inner)
                    if op.op_type == "const":
                        replace(op)

            for function in prog.functions.values():
                visit(function)

    carried = _apply_graph_pass(mlmodel, CarryBlocks(), skip_model_load=True)
    return CarriedProgram(carried, found, uncarried)


def package_program(package: Any) -> Any:
    """The MIL program of a saved ``.mlpackage``, its weights read from the package (Linux)."""
    import coremltools as ct
    from coremltools.converters.mil.frontend.milproto.load import load
    from coremltools.models.utils import _convert_model_spec_to_pymil_prog

    mlmodel = ct.models.MLModel(str(package), skip_model_load=True)
    return _convert_model_spec_to_pymil_prog(mlmodel, mlmodel.get_spec().specificationVersion,
                                             load)


def compressed_constants(program: Any) -> dict[str, Any]:
    """Every ``constexpr_*`` op of ``program`` by name."""
    found: dict[str, Any] = {}

    def visit(block: Any) -> None:
        for op in block.operations:
            for inner in op.blocks:
                visit(inner)
            if op.op_type.startswith("constexpr_"):
                found[op.name] = op

    for function in program.functions.values():
        visit(function)
    return found


def read_carried(program: Any, carried: list[CarriedTensor],
                 blocks: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The weights each carried tensor has in the saved program (``[out, in]`` float32, as the
    op's formula materialises them), after checking that its codes and scales are the file's and
    its offsets the ones written. Raises ``ValueError`` naming the first tensor that differs."""
    constants = compressed_constants(program)
    weights: dict[str, np.ndarray] = {}
    for entry in carried:
        op = constants.get(entry.constant + "_gguf_" + entry.format.lower())
        if op is None or op.op_type != "constexpr_blockwise_shift_scale":
            raise ValueError(f"{entry.tensors[0]}: no blockwise shift-scale op in the package")
        expected = shift_scale(blocks[entry.tensors[0]])
        if expected is None:
            raise ValueError(f"{entry.tensors[0]}: its blocks cannot be carried")

        flip = entry.transposed
        offset = None if op.offset is None else _oriented(op.offset.val, flip)
        same = (np.array_equal(_oriented(op.data.val, flip).astype(np.int8), expected.data)
                and np.array_equal(_oriented(op.scale.val, flip), expected.scale)
                and (offset is None) == (expected.offset is None)
                and (offset is None or np.array_equal(offset, expected.offset)))
        if not same:
            raise ValueError(f"{entry.tensors[0]}: the package's codes, scales or offsets are not "
                             f"the {entry.format} blocks that were written")
        values = _oriented(op.materialized_val_inference(), flip).astype(np.float32)
        for name in entry.tensors:
            weights[name] = values
    return weights
