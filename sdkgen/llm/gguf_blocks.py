"""The quantised blocks of a GGUF file, read as they are (not dequantised).

llama.cpp's 4- and 8-bit formats store weights in blocks of 32 along the input channels:

- ``Q4_0``: a float16 scale ``d`` and 32 unsigned nibbles ``u``: ``w = d·(u − 8)``;
- ``Q4_1``: a float16 scale ``d``, a float16 minimum ``m`` and 32 nibbles: ``w = d·u + m``;
- ``Q8_0``: a float16 scale ``d`` and 32 signed bytes ``q``: ``w = d·q``.

All three are carried here as signed codes ``q`` and per-block ``scales``/``offsets`` with
``w = scale·q + offset``: for ``Q4_1`` the codes are ``u − 8`` (−8…7, a symmetric 4-bit grid) and
the offset ``m + 8d`` (so a symmetric grouped 4-bit kernel computes ``scale·q`` and a small
per-block correction adds the offset times the block's input sum). Other formats (K-quants, float)
are not read: their tensors keep the dequantised float weights.

:func:`read_gguf_blocks` names each block tensor after the Hugging Face parameter the GGUF loader of
``transformers`` fills, with that loader's own per-architecture row permutation applied to the codes,
scales and offsets, and keeps only tensors whose reconstruction equals the loaded float weight
bit for bit (so what is carried is provably the very model that was verified).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BLOCK = 32
_BLOCK_BYTES = {"Q4_0": 18, "Q4_1": 20, "Q8_0": 34}
FORMATS = tuple(_BLOCK_BYTES)


@dataclass(frozen=True)
class BlockWeights:
    """One weight matrix as llama.cpp stores it: ``w[o, i] = scales[o, i//32]·codes[o, i] +
    offsets[o, i//32]`` (no offsets: ``w = scale·code``)."""

    format: str  # "Q4_0" | "Q4_1" | "Q8_0"
    codes: np.ndarray  # int8 [out, in]: -8..7 (4-bit formats) or -127..127 (Q8_0)
    scales: np.ndarray  # float32 [out, in/32] (float16 values in the file)
    offsets: np.ndarray | None  # float32 [out, in/32] (Q4_1), None when w = scale·code

    @property
    def bits(self) -> int:
        return 8 if self.format == "Q8_0" else 4

    def dequantized(self) -> np.ndarray:
        """float32 [out, in], computed the way the loader does (one rounding per weight)."""
        scales = np.repeat(self.scales, BLOCK, axis=1)
        values = scales * self.codes.astype(np.float32)
        if self.offsets is not None:
            values = values + np.repeat(self.offsets, BLOCK, axis=1)
        return values


def decode_blocks(raw: np.ndarray, format: str, shape: tuple[int, int]) -> BlockWeights:
    """``raw``: the tensor's bytes (uint8, rows of blocks) → codes, scales, offsets."""
    rows, columns = shape
    if columns % BLOCK:
        raise ValueError(f"{columns} input channels are not a multiple of {BLOCK}")
    blocks = np.ascontiguousarray(raw, dtype=np.uint8).reshape(rows * columns // BLOCK,
                                                                _BLOCK_BYTES[format])
    scales = blocks[:, 0:2].copy().view(np.float16).astype(np.float32).reshape(rows, -1)
    offsets = None
    if format == "Q8_0":
        codes = blocks[:, 2:].copy().view(np.int8)
    else:
        start = 4 if format == "Q4_1" else 2
        packed = blocks[:, start:]
        # nibbles: the low ones are values 0..15 of the block, the high ones 16..31
        nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=1)
        codes = nibbles.astype(np.int8) - np.int8(8)
        if format == "Q4_1":
            minimum = blocks[:, 2:4].copy().view(np.float16).astype(np.float32).reshape(rows, -1)
            offsets = minimum + np.float32(8) * scales
    return BlockWeights(format, codes.reshape(rows, columns), scales, offsets)


def four_bit_tensors(path: Path) -> int:
    """How many tensors of ``path`` are Q4_0/Q4_1 blocks (the header only is read)."""
    from gguf import GGUFReader

    return sum(1 for tensor in GGUFReader(str(path)).tensors
               if tensor.tensor_type.name in ("Q4_0", "Q4_1"))


def _processed(processor: Any, name: str, value: np.ndarray) -> np.ndarray:
    return np.asarray(processor.process(weights=value, name=name, tensor_key_mapping={},
                                        parsed_parameters={}).weights)


def read_gguf_blocks(path: Path, model: Any) -> dict[str, BlockWeights]:
    """The Q4_0/Q4_1/Q8_0 weight matrices of ``path`` by the ``transformers`` parameter name of
    ``model`` (a model loaded from that file), each checked to reconstruct that parameter exactly."""
    from gguf import GGUFReader
    from transformers.modeling_gguf_pytorch_utils import (
        TENSOR_PROCESSORS,
        TensorProcessor,
        get_gguf_hf_weights_map,
    )

    reader = GGUFReader(str(path))
    config = model.config.to_dict()
    processor = TENSOR_PROCESSORS.get(_gguf_architecture(reader), TensorProcessor)(config=config)
    names = get_gguf_hf_weights_map(model, processor)
    parameters = dict(model.state_dict())
    found: dict[str, BlockWeights] = {}
    for tensor in reader.tensors:
        format = tensor.tensor_type.name
        if format not in _BLOCK_BYTES or tensor.name not in names or len(tensor.shape) != 2:
            continue
        columns, rows = (int(n) for n in tensor.shape)  # GGUF lists the innermost dimension first
        blocks = decode_blocks(np.asarray(tensor.data), format, (rows, columns))
        # the loader's row permutation (llama's q/k rotary layout), applied to every per-row array
        blocks = BlockWeights(
            format, _processed(processor, tensor.name, blocks.codes),
            _processed(processor, tensor.name, blocks.scales),
            None if blocks.offsets is None else _processed(processor, tensor.name, blocks.offsets),
        )
        name = names[tensor.name]
        loaded = parameters.get(name)
        if loaded is None or tuple(loaded.shape) != blocks.codes.shape:
            continue
        if np.array_equal(blocks.dequantized(), loaded.detach().float().numpy()):
            found[name] = blocks
    return found


def _gguf_architecture(reader: Any) -> str:
    field = reader.fields.get("general.architecture")
    if field is None:
        return ""
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def executorch_blocks(blocks: Mapping[str, BlockWeights],
                      config: Mapping[str, Any]) -> dict[str, BlockWeights]:
    """``blocks`` under ExecuTorch's Transformer names (a tied output projection shares the
    embedding's blocks); empty for a family whose weights are split on the way (fused q/k/v)."""
    from sdkgen.llm.architectures import architecture_for, executorch_state_dict

    if architecture_for(str(config.get("model_type"))).split is not None:
        return {}
    return executorch_state_dict(blocks, config)
