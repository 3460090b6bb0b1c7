"""Android backend, second runtime: ``litert_torch.convert`` → ``.tflite`` for LiteRT.

The flatbuffer is re-packed with LiteRT's own schema module (``ai_edge_litert.schema_py_generated``)
to add a ``sdkgen_provenance`` metadata entry (JSON: sdkgen/torch/litert versions, spec hash). This
is the flatbuffer's free-form ``metadata`` table (name → buffer), which every LiteRT runtime keeps
and ignores; TensorFlow is not needed for it, nor for conversion or verification (see
docs/litert.md for why TensorFlow is not used).

Signatures used (litert-torch 0.10.0, ai-edge-litert 2.3.0, read from the installed packages):
- ``litert_torch.convert(module, sample_args, *, strict_export=False, ...) -> LiteRTModel``;
  ``LiteRTModel.model_content() -> bytes``.
- ``ai_edge_litert.schema_py_generated``: ``ModelT.InitFromPackedBuf(buf, 0)``, ``MetadataT``
  (``name``, ``buffer``), ``BufferT`` (``data``), ``ModelT.Pack(builder)``; file identifier ``TFL3``.
- ``ai_edge_litert.interpreter.Interpreter(model_path=..., num_threads=...)``:
  ``get_input_details()``, ``get_output_details()``, ``set_tensor``, ``invoke``, ``get_tensor``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.errors import ExportError
from sdkgen.export.base import (
    Backend,
    ExportRequest,
    ExportResult,
    path_size,
    register_backend,
)
from sdkgen.spec import LoadedSpec

PROVENANCE_KEY = "sdkgen_provenance"
FILE_IDENTIFIER = b"TFL3"
INSTALL_HINT = (
    "install sdkgen's litert extra with the project's pins: pip install -c constraints.txt "
    "'sdkgen[litert]' (litert-torch 0.10.0, ai-edge-litert 2.3.0; scripts/setup.sh does it, "
    "see docs/litert.md)"
)


def require_litert() -> None:
    """Fail with the install line when the LiteRT packages are missing."""
    try:
        import ai_edge_litert.interpreter  # noqa: F401
        import litert_torch  # noqa: F401
    except ImportError as error:
        raise ExportError(f"LiteRT is not installed ({error.name} missing)", hint=INSTALL_HINT) from None


def litert_available() -> bool:
    try:
        require_litert()
    except ExportError:
        return False
    return True


def _schema() -> Any:
    from ai_edge_litert import schema_py_generated

    return schema_py_generated


def with_metadata(flatbuffer: bytes, entries: dict[str, bytes]) -> bytes:
    """``flatbuffer`` with ``entries`` (name → bytes) in its metadata table, replacing same names."""
    import flatbuffers

    schema = _schema()
    model = schema.ModelT.InitFromPackedBuf(bytearray(flatbuffer), 0)
    model.metadata = [m for m in (model.metadata or []) if _text(m.name) not in entries]
    model.buffers = model.buffers or []
    for name, data in sorted(entries.items()):
        buffer = schema.BufferT()
        buffer.data = np.frombuffer(data, dtype=np.uint8).copy()
        model.buffers.append(buffer)
        metadata = schema.MetadataT()
        metadata.name = name
        metadata.buffer = len(model.buffers) - 1
        model.metadata.append(metadata)
    builder = flatbuffers.Builder(len(flatbuffer) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=FILE_IDENTIFIER)
    return bytes(builder.Output())


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def read_metadata(flatbuffer: bytes) -> dict[str, bytes]:
    """The metadata table of a ``.tflite`` flatbuffer: name → buffer bytes."""
    schema = _schema()
    model = schema.ModelT.InitFromPackedBuf(bytearray(flatbuffer), 0)
    entries = {}
    for metadata in model.metadata or []:
        data = model.buffers[metadata.buffer].data
        entries[_text(metadata.name)] = bytes(np.asarray(data, dtype=np.uint8)) if data is not None else b""
    return entries


def operator_counts(flatbuffer: bytes) -> dict[str, int]:
    """Builtin (or custom) operator name → number of uses over every subgraph."""
    schema = _schema()
    names = {value: name for name, value in vars(schema.BuiltinOperator).items()
             if not name.startswith("_")}
    model = schema.ModelT.InitFromPackedBuf(bytearray(flatbuffer), 0)
    counts: Counter[str] = Counter()
    for subgraph in model.subgraphs or []:
        for operator in subgraph.operators or []:
            code = model.operatorCodes[operator.opcodeIndex]
            builtin = max(code.builtinCode, code.deprecatedBuiltinCode)
            name = _text(code.customCode) if code.customCode else names.get(builtin, str(builtin))
            counts[name] += 1
    return dict(sorted(counts.items()))


def export_litert(request: ExportRequest) -> ExportResult:
    require_litert()
    import litert_torch

    try:
        converted = litert_torch.convert(request.model.module, request.model.example_inputs)
        flatbuffer = converted.model_content()
    except Exception as error:
        first = str(error).splitlines()[0] if str(error) else ""
        raise ExportError(
            f"LiteRT conversion failed: {type(error).__name__}: {first}",
            hint="run with --traceback for the full error; an op litert-torch cannot lower must be "
            "rewritten with supported ops (see `sdkgen inspect` of the .pte for the op list)",
        ) from error
    provenance = {**request.provenance, **_litert_versions()}
    content = with_metadata(
        flatbuffer, {PROVENANCE_KEY: json.dumps(provenance, sort_keys=True).encode()}
    )
    request.artifact_path.parent.mkdir(parents=True, exist_ok=True)
    request.artifact_path.write_bytes(content)
    return ExportResult(
        backend="litert",
        platform="android",
        artifact=request.artifact_path,
        size_bytes=path_size(request.artifact_path),
        details={"operators": operator_counts(content), "metadata": [PROVENANCE_KEY]},
    )


def refresh_litert(request: ExportRequest) -> None:
    """A ``.tflite`` taken from the build cache: its provenance entry is written again."""
    require_litert()
    provenance = {**request.provenance, **_litert_versions()}
    request.artifact_path.write_bytes(with_metadata(
        request.artifact_path.read_bytes(),
        {PROVENANCE_KEY: json.dumps(provenance, sort_keys=True).encode()},
    ))


def _litert_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for key, package in (("litert_torch_version", "litert-torch"),
                         ("ai_edge_litert_version", "ai-edge-litert")):
        try:
            versions[key] = version(package)
        except PackageNotFoundError:
            versions[key] = "not installed"
    return versions


def load_interpreter(path: Path, *, threads: int = 1) -> Any:
    """A LiteRT interpreter over the ``.tflite`` at ``path`` with its tensors allocated."""
    require_litert()
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_path=str(path), num_threads=threads)
    interpreter.allocate_tensors()
    return interpreter


def _quantization(detail: dict[str, Any]) -> tuple[float, int] | None:
    """(scale, zero point) of an integer tensor with per-tensor quantization, else None."""
    scale, zero_point = detail.get("quantization", (0.0, 0))
    if np.issubdtype(detail["dtype"], np.integer) and scale:
        return float(scale), int(zero_point)
    return None


def _to_model(value: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """A float input as the model takes it: quantized when the model's input is int8/uint8."""
    quantization = _quantization(detail) if np.issubdtype(np.asarray(value).dtype, np.floating) else None
    if quantization is None:
        return np.ascontiguousarray(value, dtype=detail["dtype"])
    scale, zero_point = quantization
    info = np.iinfo(detail["dtype"])
    quantized = np.clip(np.round(np.asarray(value, np.float64) / scale) + zero_point, info.min, info.max)
    return np.ascontiguousarray(quantized, dtype=detail["dtype"])


def _from_model(value: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """An output as float32, dequantized when the model's output is int8/uint8."""
    quantization = _quantization(detail)
    if quantization is None:
        return np.asarray(value, dtype=np.float32).copy()
    scale, zero_point = quantization
    return ((np.asarray(value, np.float32) - zero_point) * scale).astype(np.float32)


def invoke(interpreter: Any, case: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """One inference: inputs in the model's signature order, outputs as float32.

    A fully quantized model (LiteRT's static int8 has int8 inputs and outputs) gets its inputs
    quantized and its outputs dequantized with the tensors' own scale and zero point.
    """
    inputs = interpreter.get_input_details()
    if len(inputs) != len(case):
        raise ValueError(f"the .tflite takes {len(inputs)} inputs, {len(case)} were given")
    for detail, value in zip(inputs, case, strict=True):
        interpreter.set_tensor(detail["index"], _to_model(value, detail))
    interpreter.invoke()
    return tuple(
        _from_model(interpreter.get_tensor(detail["index"]), detail)
        for detail in interpreter.get_output_details()
    )


def run_tflite(
    path: Path, inputs: list[tuple[np.ndarray, ...]], *, threads: int = 1,
    on_case: Callable[[int], None] | None = None,
) -> list[tuple[np.ndarray, ...]]:
    """Run a ``.tflite`` (reloaded from disk) in the LiteRT Python interpreter on each input tuple;
    ``on_case`` gets the number of inputs run so far."""
    interpreter = load_interpreter(path, threads=threads)
    results = []
    for case in inputs:
        results.append(invoke(interpreter, case))
        if on_case is not None:
            on_case(len(results))
    return results


def verify_litert(
    loaded: LoadedSpec, plan: SdkContext, artifact: Path, inputs: list[tuple[np.ndarray, ...]],
    eager_outputs: list[tuple[np.ndarray, ...]], on_case: Callable[[int], None] | None = None,
) -> Any:
    """Numeric parity of a ``.tflite`` against eager outputs, as for the ``.pte``."""
    from sdkgen.verify import parity_of_runtime

    return parity_of_runtime(
        loaded, plan, artifact, run_tflite(artifact, inputs, on_case=on_case), eager_outputs,
        runtime="litert (ai-edge-litert Python interpreter, XNNPACK)", kind="the .tflite",
        inputs=inputs,
    )


register_backend(
    Backend(name="litert", platform="android", artifact_suffix=".tflite", export=export_litert,
            refresh=refresh_litert, verify=verify_litert, require=require_litert)
)
