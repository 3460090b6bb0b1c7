"""``sdkgen inspect``: what a ``.pte``, ``.tflite`` or ``.mlpackage`` holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sdkgen.errors import UsageError
from sdkgen.export.base import path_size

_SCALAR_TYPES = {0: "uint8", 1: "int8", 2: "int16", 3: "int32", 4: "int64", 5: "float16",
                 6: "float32", 7: "float64", 11: "bool", 15: "bfloat16"}
_ML_ARRAY_TYPES = {65568: "float32", 65552: "float16", 131104: "int32", 65600: "float64"}


def _tensor_meta(meta: Any) -> dict[str, Any]:
    dtype = meta.dtype()
    return {
        "shape": list(meta.sizes()),
        "dtype": _SCALAR_TYPES.get(int(dtype), str(dtype)),
        "nbytes": int(meta.nbytes()),
    }


def inspect_pte(path: Path) -> dict[str, Any]:
    from executorch.exir._serialize._program import deserialize_pte_binary
    from executorch.runtime import Runtime

    program = Runtime.get().load_program(path)
    methods = {}
    for name in sorted(program.method_names):
        meta = program.metadata(name)
        methods[name] = {
            "inputs": [_tensor_meta(meta.input_tensor_meta(i)) for i in range(meta.num_inputs())],
            "outputs": [_tensor_meta(meta.output_tensor_meta(i))
                        for i in range(meta.num_outputs())],
        }
    serialized = deserialize_pte_binary(path.read_bytes())
    flat = getattr(serialized, "program", serialized)
    delegates = sorted({d.id for plan in flat.execution_plan for d in plan.delegates})
    planned = {plan.name: int(sum(plan.non_const_buffer_sizes[1:])) for plan in flat.execution_plan}
    sidecar = path.with_name(path.name + ".json")
    return {
        "file": path.name,
        "format": "executorch .pte",
        "size_bytes": path_size(path),
        "methods": methods,
        "delegates": delegates,
        "planned_memory_bytes": planned,
        "metadata": json.loads(sidecar.read_text()) if sidecar.is_file() else {},
    }


def _feature(description: Any) -> dict[str, Any]:
    array = description.type.multiArrayType
    return {
        "name": description.name,
        "shape": list(array.shape),
        "dtype": _ML_ARRAY_TYPES.get(array.dataType, str(array.dataType)),
        "description": description.shortDescription,
    }


def inspect_mlpackage(path: Path) -> dict[str, Any]:
    import coremltools as ct

    spec = ct.models.MLModel(str(path), skip_model_load=True).get_spec()
    metadata = spec.description.metadata
    program = str(spec.mlProgram) if spec.WhichOneof("Type") == "mlProgram" else ""
    return {
        "file": path.name,
        "format": f"Core ML {spec.WhichOneof('Type')}",
        "specification_version": int(spec.specificationVersion),
        "size_bytes": path_size(path),
        "inputs": [_feature(i) for i in spec.description.input],
        "outputs": [_feature(o) for o in spec.description.output],
        "precision": "float16" if "FLOAT16" in program else "float32",
        "compute_units": "chosen at load time by MLModelConfiguration.computeUnits "
        "(the definition's value is in the generated wrapper)",
        "metadata": {
            "author": metadata.author, "license": metadata.license,
            "version": metadata.versionString, "description": metadata.shortDescription,
            **dict(sorted(metadata.userDefined.items())),
        },
    }


def _tflite_tensor(detail: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    return {"name": detail["name"], "shape": [int(d) for d in detail["shape"]],
            "dtype": np.dtype(detail["dtype"]).name}


def inspect_tflite(path: Path) -> dict[str, Any]:
    """Inputs, outputs, dtypes, operators, size and metadata of a ``.tflite`` (LiteRT) file."""
    from sdkgen.export.litert import load_interpreter, operator_counts, read_metadata

    content = path.read_bytes()
    interpreter = load_interpreter(path)
    metadata: dict[str, Any] = {}
    for name, data in sorted(read_metadata(content).items()):
        try:
            metadata[name] = json.loads(data.decode())
        except (UnicodeDecodeError, json.JSONDecodeError):
            metadata[name] = f"<{len(data)} bytes>"
    signatures = interpreter.get_signature_list()
    return {
        "file": path.name,
        "format": "LiteRT .tflite",
        "size_bytes": path_size(path),
        "inputs": [_tflite_tensor(d) for d in interpreter.get_input_details()],
        "outputs": [_tflite_tensor(d) for d in interpreter.get_output_details()],
        "signatures": {k: {"inputs": list(v["inputs"]), "outputs": list(v["outputs"])}
                       for k, v in sorted(signatures.items())},
        "operators": operator_counts(content),
        "metadata": metadata,
    }


def inspect_artifact(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise UsageError(f"{path} not found")
    if path.suffix == ".pte":
        return inspect_pte(path)
    if path.suffix == ".mlpackage":
        return inspect_mlpackage(path)
    if path.suffix == ".tflite":
        return inspect_tflite(path)
    raise UsageError(f"{path}: expected a .pte or .tflite file, or an .mlpackage folder")
