"""Golden vectors: raw input → model input tensor → model output → decoded result.

The format is documented in docs/golden-format.md. This module is pure numpy: the caller runs the
model (eager PyTorch) and hands the outputs in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sdkgen import processing
from sdkgen.codegen.context import InputContext, OutputContext, SdkContext

FORMAT = "sdkgen-golden"
FORMAT_VERSION = 1
_CASE_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NUMPY_DTYPES = {"float32": np.float32, "int32": np.int32, "int64": np.int64}


@dataclass(frozen=True)
class RawCase:
    """One example as a user would feed it: RGBA8 pixels for image inputs, tensors otherwise."""

    name: str
    source: str  # where the example came from, for people reading the manifest
    raw_inputs: Mapping[str, np.ndarray]  # feature name → raw input


@dataclass(frozen=True)
class GoldenCase:
    name: str
    source: str
    raw_inputs: Mapping[str, np.ndarray]
    input_tensors: Mapping[str, np.ndarray]
    output_tensors: Mapping[str, np.ndarray]  # from eager PyTorch


def preprocess(sdk: SdkContext, case: RawCase) -> dict[str, np.ndarray]:
    """Model input tensors of a raw case, by feature name, through the reference pre-processing."""
    tensors: dict[str, np.ndarray] = {}
    for spec_input in sdk.inputs:
        raw = case.raw_inputs[spec_input.feature_name]
        if spec_input.image is not None:
            tensors[spec_input.feature_name] = processing.preprocess_image(raw, spec_input.image)
        else:
            tensors[spec_input.feature_name] = np.ascontiguousarray(
                raw, dtype=_NUMPY_DTYPES[spec_input.dtype]
            ).reshape(spec_input.shape)
    return tensors


def decode(output: OutputContext, tensor: np.ndarray) -> list[processing.Classification] | None:
    if output.classification is None:
        return None
    spec = output.classification
    return processing.classify(tensor, spec.labels, apply_softmax=spec.softmax, k=spec.top_k)


def _shortest_float32(value: float) -> float:
    """The shortest decimal that parses back to the same float32 (``0.99``, not ``0.99000001``)."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="0"))


def _write_tensor(path: Path, array: np.ndarray, dtype: str) -> None:
    little_endian = np.dtype(_NUMPY_DTYPES[dtype]).newbyteorder("<")
    path.write_bytes(np.ascontiguousarray(array, dtype=little_endian).tobytes(order="C"))


def _input_entry(spec_input: InputContext) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": spec_input.name,
        "feature_name": spec_input.feature_name,
        "kind": spec_input.kind,
        "shape": list(spec_input.shape),
        "dtype": spec_input.dtype,
    }
    if spec_input.image is not None:
        image = spec_input.image
        entry["image"] = {
            "width": image.width, "height": image.height, "color": image.color,
            "layout": image.layout, "scale": image.scale, "mean": list(image.mean),
            "std": list(image.std),
        }
    return entry


def _output_entry(output: OutputContext) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": output.name,
        "feature_name": output.feature_name,
        "kind": output.kind,
        "shape": list(output.shape),
        "dtype": output.dtype,
    }
    if output.classification is not None:
        spec = output.classification
        entry["classification"] = {
            "labels": list(spec.labels), "softmax": spec.softmax, "top_k": spec.top_k,
        }
    return entry


def write_golden(directory: Path, sdk: SdkContext, cases: list[GoldenCase]) -> Path:
    """Write the manifest and binaries into ``directory`` (created); return the manifest path."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest_cases = []
    for case in cases:
        if not _CASE_NAME.fullmatch(case.name):
            raise ValueError(f"golden case name {case.name!r} must match {_CASE_NAME.pattern}")
        inputs: dict[str, object] = {}
        for spec_input in sdk.inputs:
            feature = spec_input.feature_name
            raw_name = f"{case.name}.{feature}.raw"
            tensor_name = f"{case.name}.{feature}.tensor"
            raw = case.raw_inputs[feature]
            if spec_input.image is not None:
                (directory / raw_name).write_bytes(np.ascontiguousarray(raw, np.uint8).tobytes())
            else:
                _write_tensor(directory / raw_name, raw, spec_input.dtype)
            _write_tensor(directory / tensor_name, case.input_tensors[feature], spec_input.dtype)
            inputs[feature] = {"raw": raw_name, "tensor": tensor_name}
        outputs: dict[str, object] = {}
        for output in sdk.outputs:
            feature = output.feature_name
            tensor_name = f"{case.name}.{feature}.tensor"
            tensor = np.asarray(case.output_tensors[feature], dtype=np.float32)
            _write_tensor(directory / tensor_name, tensor, "float32")
            entry: dict[str, object] = {"tensor": tensor_name}
            decoded = decode(output, tensor)
            if decoded is not None:
                entry["decoded"] = [
                    {"index": c.index, "label": c.label,
                     "probability": _shortest_float32(c.probability)}
                    for c in decoded
                ]
            outputs[feature] = entry
        manifest_cases.append(
            {"name": case.name, "source": case.source, "inputs": inputs, "outputs": outputs}
        )
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "model": sdk.display_name,
        "tolerance": {
            "tensor_atol": sdk.golden.tensor_atol,
            "probability_atol": sdk.golden.probability_atol,
            "model_atol": sdk.golden.model_atol,
        },
        "inputs": [_input_entry(i) for i in sdk.inputs],
        "outputs": [_output_entry(o) for o in sdk.outputs],
        "cases": manifest_cases,
    }
    path = directory / "manifest.json"
    path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
