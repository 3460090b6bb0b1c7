"""The ``tensor`` kinds: a raw tensor input passed through unchanged, and a raw tensor output."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Field

from sdkgen.errors import SpecError
from sdkgen.features.base import (
    NUMPY_DTYPES,
    InputKind,
    OutputKind,
    little_endian_bytes,
    register_input_kind,
    register_output_kind,
)
from sdkgen.features.schema import Strict

if TYPE_CHECKING:
    from sdkgen.codegen.context import InputContext


class TensorInput(Strict):
    """A raw tensor input, passed through unchanged."""

    shape: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)] = Field(
        description="Static shape, batch dimension included."
    )
    dtype: Literal["float32", "int32", "int64"] = "float32"

    def tensor_shape(self) -> tuple[int, ...]:
        return tuple(self.shape)


class TensorOutput(Strict):
    shape: list[Annotated[int, Field(ge=1)]] | None = Field(
        None, description="Expected shape; checked against the model when given."
    )


class TensorInputKind(InputKind):
    name = "tensor"

    def context(self, declared: TensorInput) -> None:
        return None

    def reference(self, raw: np.ndarray, item: InputContext) -> np.ndarray:
        return np.ascontiguousarray(raw, dtype=NUMPY_DTYPES[item.dtype]).reshape(item.shape)

    def random_raw(self, item: InputContext, rng: np.random.Generator) -> np.ndarray:
        if item.dtype == "float32":
            return rng.standard_normal(item.shape).astype(np.float32)
        return rng.integers(0, 10, size=item.shape).astype(item.dtype)

    def check_raw(self, value: np.ndarray, item: InputContext) -> str | None:
        if tuple(value.shape) != tuple(item.shape):
            return f"expected shape {list(item.shape)}, got {list(value.shape)}"
        return None

    def raw_bytes(self, raw: np.ndarray, item: InputContext) -> bytes:
        return little_endian_bytes(raw, item.dtype)


class TensorOutputKind(OutputKind):
    name = "tensor"

    def context(self, declared: TensorOutput, labels: tuple[str, ...] | None) -> None:
        return None

    def check_eager(self, value: np.ndarray, declared: TensorOutput,
                    labels: tuple[str, ...] | None, field: str) -> None:
        if declared.shape is not None and list(value.shape) != list(declared.shape):
            raise SpecError(f"declared {declared.shape}, the model returns {list(value.shape)}",
                            field=f"{field}.tensor.shape")

    def manifest_entry(self, item: Any) -> dict[str, Any]:
        return {}


TENSOR_INPUT = register_input_kind(TensorInputKind())
TENSOR_OUTPUT = register_output_kind(TensorOutputKind())
