"""Check exported artifacts against eager PyTorch, reloaded from disk, with figures.

ExecuTorch runs here, so ``.pte`` files get numeric parity. Core ML prediction only runs on macOS:
elsewhere the package's spec is checked (names, shapes, dtypes, precision, metadata) and numeric
parity is reported as skipped, with the reason.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.features.base import output_kind
from sdkgen.spec import LoadedSpec, Tolerance

Status = Literal["passed", "failed", "skipped"]


@dataclass(frozen=True)
class OutputParity:
    output: str
    shape: tuple[int, ...]
    max_abs_error: float
    max_relative_l2_error: float
    min_cosine_similarity: float
    top1_agreement: float | None  # outputs whose kind compares the arg-max (classification)
    non_finite_values: int  # NaN/Inf in the artifact's outputs
    tolerance: dict[str, float]
    failures: tuple[str, ...]  # human-readable, empty when within tolerance
    # outputs whose kind compares decoded values (embedding): the lowest cosine similarity of the
    # decoded vectors (pooled, normalised), what an app compares
    min_decoded_cosine_similarity: float | None = None


@dataclass(frozen=True)
class ParityResult:
    artifact: str
    runtime: str
    status: Status
    reason: str  # why skipped/failed, or what was compared
    cases: int
    outputs: tuple[OutputParity, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SpecCheck:
    check: str
    expected: str
    found: str
    passed: bool


@dataclass(frozen=True)
class SpecCheckResult:
    artifact: str
    status: Status
    checks: tuple[SpecCheck, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    a64, b64 = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    norms = np.linalg.norm(a64) * np.linalg.norm(b64)
    if norms == 0:
        return 1.0 if np.array_equal(a64, b64) else 0.0
    return float(np.dot(a64, b64) / norms)


def compare_output(
    name: str, expected: list[np.ndarray], actual: list[np.ndarray], *, tolerance: Tolerance,
    top1: bool, decoded: tuple[list[np.ndarray], list[np.ndarray]] | None = None,
) -> OutputParity:
    """Compare one output over every case; ``expected`` is eager PyTorch."""
    abs_errors, rel_errors, cosines, agreements, non_finite = [], [], [], [], 0
    for want, got in zip(expected, actual, strict=True):
        if want.shape != got.shape:
            return OutputParity(
                output=name, shape=tuple(want.shape), max_abs_error=float("inf"),
                max_relative_l2_error=float("inf"), min_cosine_similarity=-1.0,
                top1_agreement=None, non_finite_values=0, tolerance=tolerance.model_dump(),
                failures=(f"shape {tuple(got.shape)} differs from eager {tuple(want.shape)}",),
            )
        non_finite += int(np.size(got) - np.count_nonzero(np.isfinite(got)))
        difference = np.abs(got.astype(np.float64) - want.astype(np.float64))
        abs_errors.append(float(difference.max()) if difference.size else 0.0)
        reference_norm = float(np.linalg.norm(want.astype(np.float64)))
        rel_errors.append(float(np.linalg.norm(difference)) / max(reference_norm, 1e-12))
        cosines.append(_cosine(got, want))
        if top1:
            agreements.append(int(np.argmax(got)) == int(np.argmax(want)))
    parity = OutputParity(
        output=name,
        shape=tuple(expected[0].shape),
        max_abs_error=max(abs_errors),
        max_relative_l2_error=max(rel_errors),
        min_cosine_similarity=min(cosines),
        top1_agreement=(sum(agreements) / len(agreements)) if top1 else None,
        non_finite_values=non_finite,
        tolerance=tolerance.model_dump(),
        failures=(),
        min_decoded_cosine_similarity=min(
            _cosine(got, want) for want, got in zip(*decoded, strict=True)
        ) if decoded is not None else None,
    )
    failures = []
    if non_finite:
        failures.append(f"{non_finite} NaN/Inf values in the artifact's output")
    if parity.max_abs_error > tolerance.max_abs_error:
        failures.append(f"max abs error {parity.max_abs_error:.3g} > {tolerance.max_abs_error:.3g}")
    if parity.max_relative_l2_error > tolerance.max_relative_l2_error:
        failures.append(
            f"relative L2 error {parity.max_relative_l2_error:.3g} > "
            f"{tolerance.max_relative_l2_error:.3g}"
        )
    if parity.min_cosine_similarity < tolerance.min_cosine_similarity:
        failures.append(
            f"cosine similarity {parity.min_cosine_similarity:.6f} < "
            f"{tolerance.min_cosine_similarity:.6f}"
        )
    decoded_cosine = parity.min_decoded_cosine_similarity
    if decoded_cosine is not None and decoded_cosine < tolerance.min_cosine_similarity:
        failures.append(f"cosine similarity of the decoded values {decoded_cosine:.6f} < "
                        f"{tolerance.min_cosine_similarity:.6f}")
    if parity.top1_agreement is not None and parity.top1_agreement < tolerance.min_top1_agreement:
        failures.append(
            f"top-1 agreement {parity.top1_agreement:.3f} < {tolerance.min_top1_agreement:.3f}"
        )
    return OutputParity(**{**asdict(parity), "failures": tuple(failures)})


def _status(outputs: list[OutputParity]) -> Status:
    return "failed" if any(o.failures for o in outputs) else "passed"


OnCase = Callable[[int], None]  # called with the number of inputs run so far


def run_pte(path: Path, inputs: list[tuple[np.ndarray, ...]],
            on_case: OnCase | None = None) -> list[tuple[np.ndarray, ...]]:
    """Run ``forward`` of a .pte in the ExecuTorch Python runtime on each input tuple."""
    import torch
    from executorch.runtime import Runtime

    method = Runtime.get().load_program(path).load_method("forward")
    results = []
    for case in inputs:
        outputs = method.execute([torch.from_numpy(np.ascontiguousarray(x)) for x in case])
        results.append(tuple(o.detach().to(torch.float32).numpy().copy() for o in outputs))
        if on_case is not None:
            on_case(len(results))
    return results


def _decoded(plan: SdkContext, index: int, outputs: list[tuple[np.ndarray, ...]],
             inputs: list[tuple[np.ndarray, ...]]) -> list[np.ndarray]:
    item = plan.outputs[index]
    features = plan.feature_names[0]
    return [np.asarray(output_kind(item.kind).decode(case[index], item,
                                                     dict(zip(features, given, strict=True))),
                       dtype=np.float64)
            for case, given in zip(outputs, inputs, strict=True)]


def _compare_outputs(
    loaded: LoadedSpec, plan: SdkContext, eager_outputs: list[tuple[np.ndarray, ...]],
    actual: list[tuple[np.ndarray, ...]], inputs: list[tuple[np.ndarray, ...]] | None = None,
) -> list[OutputParity]:
    return [
        compare_output(
            item.name, [case[index] for case in eager_outputs], [case[index] for case in actual],
            tolerance=loaded.spec.validation.tolerance_for(item.name),
            top1=output_kind(item.kind).top1_agreement,
            decoded=(_decoded(plan, index, eager_outputs, inputs),
                     _decoded(plan, index, actual, inputs))
            if output_kind(item.kind).decoded_cosine and inputs is not None else None,
        )
        for index, item in enumerate(plan.outputs)
    ]


def parity_of_runtime(
    loaded: LoadedSpec, plan: SdkContext, artifact: Path, actual: list[tuple[np.ndarray, ...]],
    eager_outputs: list[tuple[np.ndarray, ...]], *, runtime: str, kind: str,
    inputs: list[tuple[np.ndarray, ...]] | None = None,
) -> ParityResult:
    """The parity table of one artifact's outputs (``actual``) against eager outputs."""
    if len(actual[0]) != len(plan.outputs):
        raise ValueError(
            f"{kind} returns {len(actual[0])} outputs, the definition declares {len(plan.outputs)}"
        )
    outputs = _compare_outputs(loaded, plan, eager_outputs, actual, inputs)
    return ParityResult(
        artifact=artifact.name, runtime=runtime,
        status=_status(outputs), reason=f"{len(actual)} inputs compared with eager PyTorch",
        cases=len(actual), outputs=tuple(outputs),
    )


def verify_executorch(
    loaded: LoadedSpec, plan: SdkContext, artifact: Path, inputs: list[tuple[np.ndarray, ...]],
    eager_outputs: list[tuple[np.ndarray, ...]], on_case: OnCase | None = None,
) -> ParityResult:
    """Numeric parity of a .pte (reloaded from disk) against eager outputs of the same inputs."""
    return parity_of_runtime(
        loaded, plan, artifact, run_pte(artifact, inputs, on_case), eager_outputs,
        runtime="executorch (Python runtime, XNNPACK)", kind="the .pte", inputs=inputs,
    )


def coreml_prediction_available() -> bool:
    """Core ML runs models only on macOS; elsewhere its packages can only be read."""
    return platform.system() == "Darwin"


def verify_coreml(
    loaded: LoadedSpec, plan: SdkContext, artifact: Path, inputs: list[tuple[np.ndarray, ...]],
    eager_outputs: list[tuple[np.ndarray, ...]], on_case: OnCase | None = None,
) -> ParityResult:
    """Numeric parity of an .mlpackage on macOS; an explicit skip elsewhere."""
    if not coreml_prediction_available():
        return ParityResult(
            artifact=artifact.name, runtime="coreml", status="skipped",
            reason=f"Core ML prediction runs only on macOS (this host: {platform.system()}); "
            "numeric parity was not run. The package's spec was checked instead.",
            cases=0,
        )
    import coremltools as ct

    model = ct.models.MLModel(str(artifact))
    input_names, output_names = plan.feature_names
    actual = []
    for case in inputs:
        prediction = model.predict(dict(zip(input_names, case, strict=True)))
        actual.append(tuple(np.asarray(prediction[name], dtype=np.float32) for name in output_names))
        if on_case is not None:
            on_case(len(actual))
    outputs = _compare_outputs(loaded, plan, eager_outputs, actual, inputs)
    return ParityResult(
        artifact=artifact.name, runtime="coreml (macOS)", status=_status(outputs),
        reason=f"{len(inputs)} inputs compared with eager PyTorch", cases=len(inputs),
        outputs=tuple(outputs),
    )


_ARRAY_DTYPES = {65568: "float32", 65552: "float16", 131104: "int32", 65600: "float64"}


def check_coreml_spec(
    loaded: LoadedSpec, plan: SdkContext, artifact: Path, *, expected_metadata: dict[str, str],
) -> SpecCheckResult:
    """Load the package's spec (works on Linux) and check it against the definition."""
    import coremltools as ct

    model = ct.models.MLModel(str(artifact), skip_model_load=True)
    spec = model.get_spec()
    checks: list[SpecCheck] = []

    def check(name: str, expected: object, found: object) -> None:
        checks.append(SpecCheck(name, str(expected), str(found), expected == found))

    input_names, output_names = plan.feature_names
    output_shapes = [item.shape for item in plan.outputs]
    check("model type", "mlProgram", spec.WhichOneof("Type"))
    check("input names", list(input_names), [i.name for i in spec.description.input])
    check("output names", list(output_names), [o.name for o in spec.description.output])
    for name, item in zip(input_names, plan.inputs, strict=True):
        described = next((i for i in spec.description.input if i.name == name), None)
        array = described.type.multiArrayType if described is not None else None
        check(f"input {name} shape", list(item.shape),
              list(array.shape) if array is not None else None)
        expected_dtype = "float32" if item.dtype == "float32" else "int32"
        check(f"input {name} dtype", expected_dtype,
              _ARRAY_DTYPES.get(array.dataType) if array is not None else None)
    for name, shape in zip(output_names, output_shapes, strict=True):
        described = next((o for o in spec.description.output if o.name == name), None)
        array = described.type.multiArrayType if described is not None else None
        check(f"output {name} dtype", "float32",
              _ARRAY_DTYPES.get(array.dataType) if array is not None else None)
        if array is not None and len(array.shape):
            check(f"output {name} shape", list(shape), list(array.shape))
    precision = loaded.spec.platforms.ios.precision
    program_text = str(spec.mlProgram)
    has_fp16 = "FLOAT16" in program_text
    check("compute precision", precision, "float16" if has_fp16 else "float32")
    metadata = dict(spec.description.metadata.userDefined)
    for key, value in sorted(expected_metadata.items()):
        check(f"metadata {key}", value, metadata.get(key))
    check("author", loaded.spec.metadata.author, spec.description.metadata.author)
    check("license", loaded.spec.metadata.license, spec.description.metadata.license)
    check("version", loaded.spec.version, spec.description.metadata.versionString)
    status: Status = "passed" if all(c.passed for c in checks) else "failed"
    return SpecCheckResult(artifact=artifact.name, status=status, checks=tuple(checks))


def parity_from_json(document: dict[str, Any]) -> ParityResult:
    """A :class:`ParityResult` from its :meth:`~ParityResult.to_json` document (the build cache)."""
    outputs = tuple(
        OutputParity(**{**o, "shape": tuple(o["shape"]), "failures": tuple(o["failures"])})
        for o in document["outputs"]
    )
    return ParityResult(**{**document, "outputs": outputs})


def dumps(result: ParityResult | SpecCheckResult) -> str:
    return json.dumps(result.to_json(), indent=2, sort_keys=True)
