"""The ``classification`` output kind: class scores decoded into labelled, sorted results.

``probabilities = softmax(logits)`` (float64 with the maximum subtracted, stored as float32) when
declared, then top-k by probability descending, ties to the lower class index — mirrored by the
generated Kotlin and Swift (docs/golden-format.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import Field

from sdkgen.codegen.context import ClassificationContext
from sdkgen.errors import SpecError
from sdkgen.features.base import OutputKind, register_output_kind
from sdkgen.features.schema import Strict

if TYPE_CHECKING:
    from sdkgen.codegen.context import OutputContext


class ClassificationOutput(Strict):
    """Class scores decoded into labelled, sorted results."""

    labels: str = Field(description="UTF-8 text file, one label per line, in class-index order.")
    softmax: bool = Field(True, description="Apply softmax to the output (false if it already is).")
    top_k: Annotated[int, Field(ge=1, description="Default number of results returned.")] = 5


@dataclass(frozen=True)
class Classification:
    index: int
    label: str
    probability: float  # a float32 value


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over a flat vector: float64 with the maximum subtracted, returned as float32."""
    values = np.asarray(logits, dtype=np.float64).reshape(-1)
    exps = np.exp(values - values.max())
    return (exps / exps.sum()).astype(np.float32)


def top_k(probabilities: np.ndarray, labels: tuple[str, ...], k: int) -> list[Classification]:
    """The ``k`` most probable classes, probability descending, ties to the lower index."""
    flat = np.asarray(probabilities, dtype=np.float32).reshape(-1)
    if len(labels) != flat.size:
        raise ValueError(f"{len(labels)} labels for an output of {flat.size} values")
    order = sorted(range(flat.size), key=lambda i: (-float(flat[i]), i))[: max(0, k)]
    return [Classification(index=i, label=labels[i], probability=float(flat[i])) for i in order]


def classify(
    output: np.ndarray, labels: tuple[str, ...], *, apply_softmax: bool, k: int
) -> list[Classification]:
    """Decode a classification output: softmax (optional), then top-k with labels."""
    flat = np.asarray(output, dtype=np.float32).reshape(-1)
    probabilities = softmax(flat) if apply_softmax else flat
    return top_k(probabilities, labels, k)


def shortest_float32(value: float) -> float:
    """The shortest decimal that parses back to the same float32 (``0.99``, not ``0.99000001``)."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="0"))


class ClassificationKind(OutputKind):
    name = "classification"
    top1_agreement = True
    description = "class scores (logits)"

    def context(self, declared: ClassificationOutput,
                labels: tuple[str, ...] | None) -> ClassificationContext:
        assert labels is not None  # the loader reads them for every classification output
        return ClassificationContext(
            labels=labels, softmax=declared.softmax, top_k=min(declared.top_k, len(labels)),
        )

    def check_eager(self, value: np.ndarray, declared: ClassificationOutput,
                    labels: tuple[str, ...] | None, field: str) -> None:
        count = len(labels or ())
        if value.size != count:
            raise SpecError(
                f"{count} labels for an output of {value.size} values (shape {list(value.shape)})",
                field=f"{field}.classification.labels",
                hint="the labels file needs one line per class",
            )

    def decode(self, tensor: np.ndarray, item: OutputContext,
               inputs: Mapping[str, np.ndarray] | None = None) -> list[Classification]:
        spec = item.classification
        assert spec is not None
        return classify(tensor, spec.labels, apply_softmax=spec.softmax, k=spec.top_k)

    def decoded_entry(self, decoded: list[Classification]) -> list[dict[str, Any]]:
        return [{"index": c.index, "label": c.label, "probability": shortest_float32(c.probability)}
                for c in decoded]

    def manifest_entry(self, item: OutputContext) -> dict[str, Any]:
        spec = item.classification
        assert spec is not None
        return {"classification": {
            "labels": list(spec.labels), "softmax": spec.softmax, "top_k": spec.top_k,
        }}

    def artifact_metadata(self, declared: ClassificationOutput,
                          labels: tuple[str, ...] | None) -> str:
        return json.dumps(list(labels or ()), ensure_ascii=False)


CLASSIFICATION = register_output_kind(ClassificationKind())
