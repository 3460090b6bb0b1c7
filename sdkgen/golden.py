"""Golden vectors: raw input → model input tensor → model output → decoded result.

The format is documented in docs/golden-format.md. This module is pure numpy: the caller runs the
model (eager PyTorch) and hands the outputs in. What each input and output kind contributes (its
reference processing, raw file, manifest keys, decoded result) comes from :mod:`sdkgen.features`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.codegen.context import InputContext, OutputContext, SdkContext
from sdkgen.features.base import input_kind, little_endian_bytes, output_kind

FORMAT = "sdkgen-golden"
FORMAT_VERSION = 2
_CASE_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class RawCase:
    """One example as a user would feed it: RGBA8 pixels for image inputs, tensors otherwise."""

    name: str
    source: str  # where the example came from, for people reading the manifest
    raw_inputs: Mapping[str, np.ndarray]  # feature name of the app-level input → raw input


@dataclass(frozen=True)
class GoldenCase:
    name: str
    source: str
    raw_inputs: Mapping[str, np.ndarray]
    input_tensors: Mapping[str, np.ndarray]
    output_tensors: Mapping[str, np.ndarray]  # from eager PyTorch


def preprocess(sdk: SdkContext, case: RawCase) -> dict[str, np.ndarray]:
    """Model input tensors of a raw case, by feature name, through the reference pre-processing."""
    return {
        item.feature_name: input_kind(item.kind).reference(case.raw_inputs[item.source], item)
        for item in sdk.inputs
    }


def decode(output: OutputContext, tensor: np.ndarray,
           inputs: Mapping[str, np.ndarray] | None = None) -> list[Any] | None:
    """The reference decoding of an output (``None`` for kinds whose tensor is the result);
    ``inputs``: the case's model input tensors (an embedding's mean pooling reads the mask)."""
    return output_kind(output.kind).decode(tensor, output, inputs)


def _input_entry(item: InputContext) -> dict[str, object]:
    return {
        "name": item.name, "feature_name": item.feature_name, "kind": item.kind,
        "shape": list(item.shape), "dtype": item.dtype,
        **input_kind(item.kind).manifest_entry(item),
    }


def _output_entry(item: OutputContext, decoded: Mapping[str, Any]) -> dict[str, object]:
    return {
        "name": item.name, "feature_name": item.feature_name, "kind": item.kind,
        "shape": list(item.shape), "dtype": item.dtype,
        **output_kind(item.kind).manifest_entry(item),
        **(output_kind(item.kind).cases_entry(item, decoded) if decoded else {}),
    }


def write_golden(directory: Path, sdk: SdkContext, cases: list[GoldenCase]) -> Path:
    """Write the manifest and binaries into ``directory`` (created); return the manifest path."""
    directory.mkdir(parents=True, exist_ok=True)
    for item in sdk.app_inputs:
        for relative, content in input_kind(item.kind).golden_files(item).items():
            (directory / relative).parent.mkdir(parents=True, exist_ok=True)
            (directory / relative).write_bytes(content)
    manifest_cases = []
    decoded_by_output: dict[str, dict[str, Any]] = {o.feature_name: {} for o in sdk.outputs}
    for case in cases:
        if not _CASE_NAME.fullmatch(case.name):
            raise ValueError(f"golden case name {case.name!r} must match {_CASE_NAME.pattern}")
        inputs: dict[str, object] = {}
        for item in sdk.inputs:
            feature = item.feature_name
            raw_name = f"{case.name}.{item.source}.raw"
            tensor_name = f"{case.name}.{feature}.tensor"
            raw = case.raw_inputs[item.source]
            (directory / raw_name).write_bytes(input_kind(item.kind).raw_bytes(raw, item))
            (directory / tensor_name).write_bytes(
                little_endian_bytes(case.input_tensors[feature], item.dtype))
            inputs[feature] = {"raw": raw_name, "tensor": tensor_name,
                               **input_kind(item.kind).case_entry(raw, item)}
        outputs: dict[str, object] = {}
        for output in sdk.outputs:
            feature = output.feature_name
            tensor_name = f"{case.name}.{feature}.tensor"
            tensor = np.asarray(case.output_tensors[feature], dtype=np.float32)
            (directory / tensor_name).write_bytes(little_endian_bytes(tensor, "float32"))
            entry: dict[str, object] = {"tensor": tensor_name}
            decoded = decode(output, tensor, case.input_tensors)
            if decoded is not None:
                entry["decoded"] = output_kind(output.kind).decoded_entry(decoded)
                decoded_by_output[feature][case.name] = decoded
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
        "outputs": [_output_entry(o, decoded_by_output[o.feature_name]) for o in sdk.outputs],
        "cases": manifest_cases,
    }
    path = directory / "manifest.json"
    path.write_text(
        json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
