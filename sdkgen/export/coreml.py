"""iOS backend: coremltools → ML Program ``.mlpackage``, trying conversion routes in a fixed order.

No single route converts every model (see shared FACTS): ``torch.export`` +
``run_decompositions({})`` keeps ops whole; the default decompositions lower what the first route
cannot; ``torch.jit.trace`` covers RNNs and models torch.export cannot capture. The first route
that converts wins; the report records it and why the earlier ones failed.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdkgen.errors import ExportError
from sdkgen.export.base import (
    Backend,
    ExportRequest,
    ExportResult,
    capture_program,
    path_size,
    register_backend,
)
from sdkgen.export.coreml_ops import registered_translations
from sdkgen.features.base import (
    declared_input,
    declared_output,
    input_kind,
    output_kind,
    output_labels,
)

COMPUTE_UNITS = {  # definition value → coremltools ComputeUnit name
    "all": "ALL",
    "cpu_only": "CPU_ONLY",
    "cpu_and_gpu": "CPU_AND_GPU",
    "cpu_and_ne": "CPU_AND_NE",
}
METADATA_PREFIX = "com.sdkgen."


def deployment_target(minimum_version: str) -> Any:
    import coremltools as ct

    major = int(minimum_version.split(".", maxsplit=1)[0])
    available = sorted(
        (int(name.removeprefix("iOS")), name) for name in dir(ct.target)
        if name.startswith("iOS") and name.removeprefix("iOS").isdigit()
    )
    chosen = [name for version, name in available if version <= major]
    if not chosen:
        raise ExportError(f"platforms.ios.minimum_version: iOS {minimum_version} is too old for Core ML")
    return getattr(ct.target, chosen[-1])


def _io_types(request: ExportRequest) -> tuple[list[Any], list[Any]]:
    import coremltools as ct
    import numpy as np

    dtypes = {"float32": np.float32, "int32": np.int32, "int64": np.int32}
    inputs = [
        ct.TensorType(name=item.feature_name, shape=item.shape, dtype=dtypes[item.dtype])
        for item in request.plan.inputs
    ]
    outputs = [ct.TensorType(name=item.feature_name, dtype=np.float32)
               for item in request.plan.outputs]
    return inputs, outputs


def _route_export_no_decompositions(request: ExportRequest) -> Any:
    return capture_program(request, for_backend="Core ML").run_decompositions({})


def _route_export_default_decompositions(request: ExportRequest) -> Any:
    return capture_program(request, for_backend="Core ML").run_decompositions()


def _route_jit_trace(request: ExportRequest) -> Any:
    """Trace, then prove the trace still follows eager on other inputs: tracing records one path
    through Python control flow, so a model that branches on values would convert silently wrong."""
    import torch

    module, example = request.model.module, request.model.example_inputs
    generator = torch.Generator().manual_seed(request.loaded.spec.validation.seed)
    probes = [example, tuple(-x if x.is_floating_point() else x for x in example)]
    probes += [
        tuple(torch.randn(x.shape, generator=generator) * 3 if x.is_floating_point() else x
              for x in example)
        for _ in range(2)
    ]
    with torch.no_grad():
        traced = torch.jit.trace(module, example, strict=False, check_trace=False)
        for probe in probes:
            want, got = module(*probe), traced(*probe)
            want = want if isinstance(want, (tuple, list)) else (want,)
            got = got if isinstance(got, (tuple, list)) else (got,)
            if not all(torch.allclose(w, g, rtol=1e-4, atol=1e-5, equal_nan=True)
                       for w, g in zip(want, got, strict=True)):
                raise ExportError(
                    "the traced model disagrees with eager on other inputs: forward() takes a "
                    "different path for different values (data-dependent control flow)"
                )
    return traced


ROUTES: tuple[tuple[str, Callable[[ExportRequest], Any]], ...] = (
    ("torch.export+run_decompositions({})", _route_export_no_decompositions),
    ("torch.export+run_decompositions()", _route_export_default_decompositions),
    ("torch.jit.trace", _route_jit_trace),
)


def _convert(request: ExportRequest, source: Any) -> Any:
    import coremltools as ct

    ios = request.loaded.spec.platforms.ios
    inputs, outputs = _io_types(request)
    precision = ct.precision.FLOAT16 if ios.precision == "float16" else ct.precision.FLOAT32
    return ct.convert(
        source,
        inputs=inputs,
        outputs=outputs,
        convert_to="mlprogram",
        compute_precision=precision,
        compute_units=getattr(ct.ComputeUnit, COMPUTE_UNITS[ios.compute_units]),
        minimum_deployment_target=deployment_target(ios.minimum_version),
    )


def model_metadata(request: ExportRequest) -> dict[str, str]:
    """The user-defined metadata embedded in the package: provenance, labels, pre-processing."""
    loaded = request.loaded
    metadata = {f"{METADATA_PREFIX}{key}": value for key, value in request.provenance.items()}
    for item, spec_input in zip(request.plan.app_inputs, loaded.spec.inputs, strict=True):
        text = input_kind(item.kind).artifact_metadata(declared_input(spec_input))
        if text is not None:
            metadata[f"{METADATA_PREFIX}preprocessing.{item.source}"] = text
    for item, output in zip(request.plan.outputs, loaded.spec.outputs, strict=True):
        text = output_kind(item.kind).artifact_metadata(
            declared_output(output), output_labels(loaded, output)
        )
        if text is not None:
            metadata[f"{METADATA_PREFIX}labels.{item.feature_name}"] = text
    return metadata


def _describe(mlmodel: Any, request: ExportRequest) -> None:
    spec = request.loaded.spec
    mlmodel.short_description = spec.metadata.description or spec.name
    mlmodel.author = spec.metadata.author
    mlmodel.license = spec.metadata.license
    mlmodel.version = spec.version
    for item in request.plan.inputs:
        mlmodel.input_description[item.feature_name] = (
            f"{item.name}: {input_kind(item.kind).description}, shape {list(item.shape)}"
        )
    for item in request.plan.outputs:
        mlmodel.output_description[item.feature_name] = (
            f"{item.name}: {output_kind(item.kind).description}"
        )
    mlmodel.user_defined_metadata.update(model_metadata(request))


# coremltools stamps every package with the day of the conversion and torch's full build string
# (``torch==2.13.0+cu130`` here, ``+cpu`` elsewhere); neither describes the model. The date is
# dropped and versions lose their local label; report.json records what ran.
CONVERSION_DATE_KEY = "com.github.apple.coremltools.conversion_date"
_SOURCE_KEY = "com.github.apple.coremltools.source"


def _normalize_build_info(spec: Any) -> None:
    """The ML Program's ``buildInfo`` attribute (coremltools and source versions)."""
    from sdkgen.version import public_version

    if spec.WhichOneof("Type") != "mlProgram" or "buildInfo" not in spec.mlProgram.attributes:
        return
    build_info = spec.mlProgram.attributes["buildInfo"].immediateValue.dictionary
    for pair in build_info.values:
        strings = pair.value.immediateValue.tensor.strings.values
        for index, value in enumerate(strings):
            strings[index] = public_version(value)


def _normalize_spec(model_file: Path) -> None:
    """Drop the conversion date, strip local version labels, and serialize map fields (the user
    metadata) in a fixed order (protobuf's default order is arbitrary)."""
    from coremltools.proto import Model_pb2

    from sdkgen.version import public_version

    spec = Model_pb2.Model()
    spec.ParseFromString(model_file.read_bytes())
    user_defined = spec.description.metadata.userDefined
    if CONVERSION_DATE_KEY in user_defined:
        del user_defined[CONVERSION_DATE_KEY]
    if _SOURCE_KEY in user_defined:
        user_defined[_SOURCE_KEY] = public_version(user_defined[_SOURCE_KEY])
    _normalize_build_info(spec)
    model_file.write_bytes(spec.SerializeToString(deterministic=True))


def normalize_package(package: Path) -> None:
    """Make a saved .mlpackage byte-identical across runs.

    The spec loses the conversion date and build labels and is re-serialized with a
    deterministic map order (:func:`_normalize_spec`), and the random UUIDs coremltools
    writes as item identifiers in ``Manifest.json`` are replaced with UUIDs derived from each
    item's path and content, so equal content gives equal bytes.
    """
    manifest_path = package / "Manifest.json"
    manifest = json.loads(manifest_path.read_text())
    root_item = manifest["itemInfoEntries"][manifest["rootModelIdentifier"]]
    _normalize_spec(package / "Data" / root_item["path"])
    renamed: dict[str, str] = {}
    for old_id, item in sorted(manifest["itemInfoEntries"].items(), key=lambda kv: kv[1]["path"]):
        digest = hashlib.sha256(item["path"].encode())
        content = package / "Data" / item["path"]
        files = sorted(content.rglob("*")) if content.is_dir() else [content]
        for file in (f for f in files if f.is_file()):
            digest.update(file.relative_to(content).as_posix().encode() if content.is_dir() else b"")
            digest.update(file.read_bytes())
        renamed[old_id] = str(uuid.UUID(digest.hexdigest()[:32]))
    manifest["itemInfoEntries"] = {
        renamed[old]: item for old, item in manifest["itemInfoEntries"].items()
    }
    manifest["rootModelIdentifier"] = renamed[manifest["rootModelIdentifier"]]
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


_UNSUPPORTED_OP = re.compile(
    r"Unsupported fx node (\w+)|convert function for op '(\w+)' not implemented"
    r"|lowering for Torch `(\w+)` op is not supported"
)


def unsupported_ops(failures: list[dict[str, str]]) -> list[str]:
    """Op names coremltools said it cannot convert, in order of first mention."""
    found: list[str] = []
    for failure in failures:
        for groups in _UNSUPPORTED_OP.findall(failure["error"]):
            op = next(g for g in groups if g)
            if op not in found:
                found.append(op)
    return found


def _finalize(mlmodel: Any, request: ExportRequest) -> None:
    """Describe the converted model and write it to ``request.artifact_path``, deterministically."""
    _describe(mlmodel, request)
    request.artifact_path.parent.mkdir(parents=True, exist_ok=True)
    mlmodel.save(str(request.artifact_path))
    normalize_package(request.artifact_path)


def refresh_coreml(request: ExportRequest) -> None:
    """Rewrite the metadata of a package taken from the build cache (see Backend.refresh)."""
    import shutil
    import tempfile

    import coremltools as ct

    package = request.artifact_path
    with tempfile.TemporaryDirectory(dir=package.parent) as scratch:
        original = Path(scratch) / package.name
        package.rename(original)
        mlmodel = ct.models.MLModel(str(original), skip_model_load=True)
        for key in [k for k in mlmodel.user_defined_metadata if k.startswith(METADATA_PREFIX)]:
            del mlmodel.user_defined_metadata[key]
        _finalize(mlmodel, request)
        shutil.rmtree(original, ignore_errors=True)


def export_coreml(request: ExportRequest) -> ExportResult:
    failures: list[dict[str, str]] = []
    mlmodel = None
    route_used = None
    translated: set[str] = set()
    for route_name, route in ROUTES:
        try:
            with registered_translations() as used:
                mlmodel = _convert(request, route(request))
            translated = used
        except Exception as error:
            message = str(error).strip().splitlines()
            failures.append({
                "route": route_name,
                "error": f"{type(error).__name__}: {message[0] if message else ''}"[:500],
            })
            continue
        route_used = route_name
        break
    if mlmodel is None:
        summary = "; ".join(f"{f['route']}: {f['error']}" for f in failures)
        ops = unsupported_ops(failures)
        named = f"unsupported op {', '.join(repr(op) for op in ops)}; " if ops else ""
        raise ExportError(
            f"Core ML conversion failed on every route: {named}{summary}",
            hint="the op named above has no Core ML conversion in coremltools nor in sdkgen's "
            "translations (sdkgen/export/coreml_ops.py); rewrite it with supported ops or register "
            "a converter with coremltools.converters.mil.frontend.torch.register_torch_op",
        )
    _finalize(mlmodel, request)
    spec = mlmodel.get_spec()
    return ExportResult(
        backend="coreml",
        platform="ios",
        artifact=request.artifact_path,
        size_bytes=path_size(request.artifact_path),
        details={
            "route": route_used,
            "sdkgen_op_translations": sorted(translated),
            "failed_routes": failures,
            "specification_version": int(spec.specificationVersion),
            "compute_units": request.loaded.spec.platforms.ios.compute_units,
            "precision": request.loaded.spec.platforms.ios.precision,
            "minimum_deployment_target": f"iOS{request.loaded.spec.platforms.ios.minimum_version}",
        },
        warnings=tuple(
            f"Core ML: route {f['route']} failed before {route_used} converted: {f['error']}"
            for f in failures
        ),
    )


register_backend(
    Backend(name="coreml", platform="ios", artifact_suffix=".mlpackage", export=export_coreml,
            refresh=refresh_coreml, default=True)
)
