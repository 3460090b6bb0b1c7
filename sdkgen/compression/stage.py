"""The build's compression stage: variants next to the float artifacts, measured on real data.

Runs after the float artifacts are exported and verified. Writes ``artifacts/variants/``, measures
every variant against eager float PyTorch on the definition's evaluation samples, and fails the
build (naming the figures) when a variant is over ``compression.accuracy_budget``.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.compression.data import Samples, as_torch, load_samples
from sdkgen.compression.metrics import Accuracy, budget_failures, measure
from sdkgen.compression.recipes import recipe
from sdkgen.errors import ExportError, SpecError
from sdkgen.features.base import output_kind
from sdkgen.loading import LoadedModel, run_eager
from sdkgen.spec import Compression, LoadedSpec

VARIANTS_DIR = "variants"
LATENCY_RUNS = 20
LATENCY_WARMUP = 3
CORE_ML_NOT_MEASURED = (
    "Core ML prediction runs only on macOS (this host: {system}): accuracy and latency of Core ML "
    "variants are not measured here; size and weight statistics are."
)


@dataclass(frozen=True)
class VariantResult:
    platform: str
    mode: str
    file: str  # relative to the build folder
    size_bytes: int
    float_size_bytes: int
    accuracy: Accuracy | None  # None when it cannot be measured on this host
    accuracy_note: str
    latency: dict[str, float] | None  # ms, .pte only
    details: dict[str, Any] = field(default_factory=dict)
    budget: str = "unchecked"  # "within" | "exceeded" | "unchecked" (not measurable) | "reference" | "failed"
    failures: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        entry = asdict(self)
        entry["accuracy"] = self.accuracy.to_json() if self.accuracy is not None else None
        entry["size_ratio"] = round(self.size_bytes / self.float_size_bytes, 4)
        return entry


@dataclass(frozen=True)
class CompressionResult:
    evaluation: str
    calibration: str | None
    budget: dict[str, float]
    eager_float: Accuracy
    float_artifacts: tuple[VariantResult, ...]  # the float .pte / .mlpackage, same measurements
    variants: tuple[VariantResult, ...]
    selection: tuple[Selection, ...] = ()
    weight_rounding: WeightRounding | None = None  # with int8 .pte variants only

    def to_json(self) -> dict[str, Any]:
        """Everything but the latencies: the report stays byte-identical between builds."""
        entries = [v.to_json() | {"latency": None} for v in self.float_artifacts + self.variants]
        return {
            "evaluation": self.evaluation,
            "calibration": self.calibration,
            "accuracy_budget": self.budget,
            "eager_float": self.eager_float.to_json(),
            "float_artifacts": entries[: len(self.float_artifacts)],
            "variants": entries[len(self.float_artifacts):],
            "int8_weight_rounding": (self.weight_rounding.to_json()
                                     if self.weight_rounding is not None else None),
            "selection_note": "per platform, the fastest variant within the budget is picked by "
            "measured latency, which differs between runs: the pick is in <build>.timings.json "
            "(\"selected\") and in `sdkgen bench`",
            "latency_note": f"host latency of each .pte (median/p90 of {LATENCY_RUNS} runs after "
            f"{LATENCY_WARMUP} warm-up runs) is wall-clock, so it is kept out of the build tree: "
            "see <build>.timings.json, or measure with `sdkgen bench`",
        }

    def selected(self) -> dict[str, dict[str, Any]]:
        """Per platform, the variant picked by the budget and measured latency (timings file)."""
        return {s.platform: s.to_json() for s in self.selection}

    def latencies(self) -> dict[str, dict[str, float]]:
        """Wall-clock latency per .pte, for the timings file beside the build."""
        return {v.file: v.latency for v in self.float_artifacts + self.variants if v.latency}


@dataclass(frozen=True)
class WeightRounding:
    """Eager float with only its conv/linear weights rounded to int8 (:mod:`.weight_rounding`)."""

    accuracy: Accuracy
    tensors: int

    def to_json(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy.to_json(), "tensors_rounded": self.tensors,
                "note": "eager PyTorch, conv/linear weights rounded to int8 per output channel, "
                "activations float: the flips the weights alone cause"}


def _weight_rounding(
    loaded: LoadedSpec, model: LoadedModel, evaluation: Samples, reference: list[np.ndarray],
) -> WeightRounding:
    from sdkgen.compression.weight_rounding import weight_rounding_outputs

    index, classification = _scored_output(loaded)
    outputs, tensors = weight_rounding_outputs(model, evaluation.inputs, index)
    return WeightRounding(measure(reference, outputs, classification=classification,
                                  labels=evaluation.labels), tensors)


@dataclass(frozen=True)
class Selection:
    """The variant a platform would ship: the fastest within the accuracy budget."""

    platform: str
    file: str | None  # None: nothing could be chosen on this host
    mode: str | None
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def select_variant(
    platform: str, float_result: VariantResult, variants: Sequence[VariantResult]
) -> Selection:
    """Fastest (median latency) of the float artifact and the variants within the budget.

    Variants whose accuracy cannot be measured here (Core ML off macOS) are never chosen: the
    budget cannot be checked. The float artifact is the fallback, and the reference for speed.
    """
    suffix = Path(float_result.file).suffix  # the shipped runtime's variants only
    candidates = [v for v in variants if v.platform == platform and Path(v.file).suffix == suffix]
    if not candidates:
        return Selection(platform, float_result.file, float_result.mode, "no variants declared")
    if all(v.budget == "unchecked" for v in candidates):
        return Selection(platform, None, None, "accuracy not measurable on this host "
                         f"({platform}): the budget cannot pick a variant")
    within = [v for v in candidates if v.budget == "within" and v.latency is not None]
    if not within:
        return Selection(platform, float_result.file, float_result.mode,
                         "no variant is within the accuracy budget: the float artifact stays")
    best = min(within, key=lambda v: (v.latency["median_ms"], v.size_bytes, v.file))  # type: ignore[index]
    float_ms = (float_result.latency or {}).get("median_ms")
    if float_ms is not None and float_ms <= best.latency["median_ms"]:  # type: ignore[index]
        return Selection(platform, float_result.file, float_result.mode,
                         "variants within the budget are not faster than the float artifact")
    speedup = f", {float_ms / best.latency['median_ms']:.2f}x the float speed" if float_ms else ""  # type: ignore[index]
    return Selection(platform, best.file, best.mode,
                     f"fastest of {len(within)} variant(s) within the accuracy budget{speedup} "
                     "(latency of this build; see <build>.timings.json)")


def _scored_output(loaded: LoadedSpec) -> tuple[int, bool]:
    """Index of the output accuracy is measured on (the first whose kind compares top-1), and
    whether top-1 applies to it."""
    for index, output in enumerate(loaded.spec.outputs):
        if output_kind(output.kind).top1_agreement:
            return index, True
    return 0, False


def _pte_outputs(path: Path, samples: Samples, index: int) -> list[np.ndarray]:
    from sdkgen.verify import run_pte

    return [outputs[index] for outputs in run_pte(path, list(samples.inputs))]


def _pte_result(
    path: Path, build_dir: Path, mode: str, float_size: int, reference: list[np.ndarray],
    samples: Samples, loaded: LoadedSpec, details: dict[str, Any],
) -> VariantResult:
    from sdkgen.bench import time_pte

    index, classification = _scored_output(loaded)
    accuracy = measure(reference, _pte_outputs(path, samples, index), classification=classification,
                       labels=samples.labels)
    latency = time_pte(path, samples.inputs[0], runs=LATENCY_RUNS, warmup=LATENCY_WARMUP)
    return VariantResult(
        platform="android", mode=mode, file=path.relative_to(build_dir).as_posix(),
        size_bytes=path.stat().st_size, float_size_bytes=float_size, accuracy=accuracy,
        accuracy_note="ExecuTorch runtime (XNNPACK) on this host vs eager float PyTorch",
        latency=latency, details=details, budget="reference" if mode == "float32" else "unchecked",
    )


def _failed_variant(
    mode: str, destination: Path, build_dir: Path, float_size: int, runtime: str,
    error: Exception, progress: Callable[[str], None],
) -> VariantResult:
    """A variant that did not export or did not run in its runtime: recorded with the error, its
    file removed (the build never leaves an artifact that fails to run), never selected."""
    message = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    destination.unlink(missing_ok=True)
    progress(f"android: the {mode} variant failed in {runtime} ({message}); it is left out")
    return VariantResult(
        platform="android", mode=mode, file=destination.relative_to(build_dir).as_posix(),
        size_bytes=0, float_size_bytes=float_size, accuracy=None,
        accuracy_note=f"{runtime} could not build or run this variant on this host",
        latency=None, budget="failed",
        failures=(f"{runtime} {mode}: {message} (the runtime's own message is in the build "
                  "log)",),
    )


@dataclass(frozen=True)
class ExampleInputs:
    """The definition's example inputs (the golden cases): every variant answers them too."""

    names: tuple[str, ...]
    inputs: tuple[tuple[np.ndarray, ...], ...]  # in input order
    tensors: tuple[dict[str, np.ndarray], ...]  # by feature name, for decoding
    output: Any  # OutputContext of the scored output


def example_inputs(loaded: LoadedSpec, sdk: SdkContext, cases: Sequence[Any]) -> ExampleInputs:
    """From the build's golden cases (:class:`sdkgen.golden.GoldenCase`)."""
    features = [item.feature_name for item in sdk.inputs]
    index, _ = _scored_output(loaded)
    return ExampleInputs(
        names=tuple(case.name for case in cases),
        inputs=tuple(tuple(case.input_tensors[f] for f in features) for case in cases),
        tensors=tuple(dict(case.input_tensors) for case in cases),
        output=sdk.outputs[index],
    )


def _with_example_answers(
    result: VariantResult, build_dir: Path, examples: ExampleInputs, index: int,
) -> VariantResult:
    """``result`` with its decoded answer (e.g. top-k classes) to every example input."""
    from sdkgen.golden import decode

    if result.budget == "failed" or not examples.names:
        return result
    path = build_dir / result.file
    if path.suffix == ".pte":
        from sdkgen.verify import run_pte

        outputs = run_pte(path, list(examples.inputs))
    elif path.suffix == ".tflite":
        from sdkgen.export.litert import run_tflite

        outputs = run_tflite(path, list(examples.inputs))
    else:
        return result  # Core ML: no prediction on this host
    answers = {}
    for name, tensors, output in zip(examples.names, examples.tensors, outputs, strict=True):
        decoded = decode(examples.output, output[index], tensors)
        if decoded is None:
            return result
        answers[name] = [asdict(d) if is_dataclass(d) else d for d in decoded]
    return VariantResult(**{**result.__dict__, "details": {**result.details, "examples": answers}})


def _check_budget(
    result: VariantResult, compression: Compression, float_accuracy: float | None
) -> VariantResult:
    if result.accuracy is None:
        return result
    budget = compression.accuracy_budget
    failures = budget_failures(
        result.accuracy, float_accuracy, max_top1_agreement_drop=budget.max_top1_agreement_drop,
        max_accuracy_drop=budget.max_accuracy_drop,
    )
    return VariantResult(**{**result.__dict__, "budget": "exceeded" if failures else "within",
                            "failures": tuple(failures)})


def _litert_variants(
    loaded: LoadedSpec, model: LoadedModel, float_pte: Path, build_dir: Path,
    evaluation: Samples, reference: list[np.ndarray], calibration: Samples | None,
    progress: Callable[[str], None],
) -> list[VariantResult]:
    """LiteRT's own int8 ``.tflite`` variants, measured like the ``.pte`` ones (comparison only)."""
    compression = loaded.spec.compression
    assert compression is not None  # the caller checked
    if not compression.android.litert_quantize:
        return []
    from executorch.extension.pybindings.portable_lib import _threadpool_get_thread_count

    from sdkgen.bench import time_tflite
    from sdkgen.compression.litert import export_litert_quantized
    from sdkgen.export.litert import run_tflite
    from sdkgen.version import tool_versions

    index, classification = _scored_output(loaded)
    float_tflite = build_dir / "artifacts" / "compare" / float_pte.with_suffix(".tflite").name
    float_size = float_tflite.stat().st_size if float_tflite.is_file() else float_pte.stat().st_size
    threads = max(1, int(_threadpool_get_thread_count()))  # the .pte figures' thread count
    versions = tool_versions()
    results = []
    for mode in compression.android.litert_quantize:
        progress(f"android: building the LiteRT {mode} variant")
        destination = build_dir / "artifacts" / VARIANTS_DIR / f"{float_pte.stem}.{mode}.tflite"
        try:
            program = export_litert_quantized(
                model.module, model.example_inputs,
                as_torch(calibration.inputs) if calibration is not None and mode == "int8" else [],
                destination, mode=mode,
                provenance={"sdkgen_version": versions["sdkgen"], "spec_sha256": loaded.sha256},
            )
            outputs = [o[index] for o in run_tflite(destination, list(evaluation.inputs),
                                                    threads=threads)]
        except (ExportError, RuntimeError, ValueError) as error:
            results.append(_failed_variant(mode, destination, build_dir, float_size, "LiteRT",
                                           error, progress))
            continue
        results.append(VariantResult(
            platform="android", mode=mode, file=destination.relative_to(build_dir).as_posix(),
            size_bytes=program.size_bytes, float_size_bytes=float_size,
            accuracy=measure(reference, outputs, classification=classification,
                             labels=evaluation.labels),
            accuracy_note="LiteRT Python interpreter on this host vs eager float PyTorch",
            latency=time_tflite(destination, evaluation.inputs[0], runs=LATENCY_RUNS,
                                warmup=LATENCY_WARMUP, threads=threads),
            details={"runtime": "litert", "calibration_samples": program.calibration_samples,
                     "operators": program.operators, "threads": threads},
        ))
    return results


def _mixed_precision_plan(
    loaded: LoadedSpec, model: LoadedModel, calibration: Sequence[tuple[Any, ...]],
    progress: Callable[[str], None],
) -> Any:
    """Which activations int8_mixed keeps float: measured on the calibration samples only."""
    from sdkgen.compression.executorch import quantizer_factory
    from sdkgen.compression.sensitivity import plan_mixed_precision

    compression = loaded.spec.compression
    assert compression is not None  # the caller checked
    index, _ = _scored_output(loaded)
    return plan_mixed_precision(
        model.module, model.example_inputs, calibration,
        quantizer_factory=quantizer_factory("int8", per_channel=compression.android.per_channel,
                                            keep_float=compression.android.keep_float),
        target_agreement=1 - compression.accuracy_budget.max_top1_agreement_drop,
        output_index=index, progress=progress,
    )


def _android_variants(
    loaded: LoadedSpec, sdk: SdkContext, model: LoadedModel, float_pte: Path, build_dir: Path,
    evaluation: Samples, reference: list[np.ndarray], progress: Callable[[str], None],
) -> tuple[VariantResult, list[VariantResult], str | None]:
    from sdkgen.compression.executorch import export_quantized

    compression = loaded.spec.compression
    assert compression is not None  # the caller checked
    float_size = float_pte.stat().st_size
    float_result = _pte_result(float_pte, build_dir, "float32", float_size, reference, evaluation,
                               loaded, {})
    calibration = None
    recipes = [recipe(mode) for mode in compression.android.quantize]
    if any(r.needs_calibration for r in recipes):
        assert compression.calibration is not None  # the spec requires it for static int8
        calibration = load_samples(loaded, sdk, compression.calibration,
                                   field="compression.calibration")
    mixed_plan = None  # one mixed-precision plan serves every recipe that needs it
    variants = []
    for chosen in recipes:
        progress(f"android: building the {chosen.mode} variant")
        destination = build_dir / "artifacts" / VARIANTS_DIR / f"{float_pte.stem}.{chosen.mode}.pte"
        samples = (as_torch(calibration.inputs)
                   if calibration is not None and chosen.needs_calibration else [])
        plan = None
        if chosen.plans_mixed_precision:
            mixed_plan = mixed_plan or _mixed_precision_plan(loaded, model, samples, progress)
            plan = mixed_plan
        float_nodes, dynamic_nodes = plan.split(chosen.sensitive_fallback) if plan else ((), ())
        measured: dict[str, Any] = {}
        try:
            program = export_quantized(
                model.module, model.example_inputs, samples, destination,
                mode=chosen.activations,
                per_channel=compression.android.per_channel,
                keep_float=compression.android.keep_float,
                float_nodes=float_nodes, dynamic_nodes=dynamic_nodes,
                bias_correction=chosen.bias_correction, weight_rounding=chosen.weight_rounding,
                dynamic_min_macs=compression.android.dynamic_min_macs, measured=measured,
            )
            details: dict[str, Any] = {
                "recipe": chosen.summary,
                "planned_memory_bytes": program.planned_memory_bytes,
                "delegate_calls": program.delegate_calls,
                "calibration_samples": program.calibration_samples,
                "weights": "per_channel" if program.per_channel else "per_tensor",
                "keep_float": list(compression.android.keep_float),
            }
            if plan is not None:
                details["mixed_precision"] = plan.to_json() | {
                    "float_nodes": list(float_nodes), "dynamic_nodes": list(dynamic_nodes)}
            details.update({name: result.to_json() for name, result in measured.items()})
            variants.append(_pte_result(destination, build_dir, chosen.mode, float_size, reference,
                                        evaluation, loaded, details))
        except (ExportError, RuntimeError) as error:
            variants.append(_failed_variant(chosen.mode, destination, build_dir, float_size,
                                            "ExecuTorch", error, progress))
    variants += _litert_variants(loaded, model, float_pte, build_dir, evaluation, reference,
                                 calibration, progress)
    return float_result, variants, calibration.description if calibration is not None else None


def _ios_variants(
    loaded: LoadedSpec, float_package: Path, build_dir: Path, progress: Callable[[str], None],
) -> tuple[VariantResult, list[VariantResult]]:
    from sdkgen.compression.coreml import compress_package
    from sdkgen.export.base import path_size

    compression = loaded.spec.compression
    assert compression is not None  # the caller checked
    ios = compression.ios
    note = CORE_ML_NOT_MEASURED.format(system=platform.system())
    float_size = path_size(float_package)
    precision = loaded.spec.platforms.ios.precision
    float_result = VariantResult(
        platform="ios", mode=precision, file=float_package.relative_to(build_dir).as_posix(),
        size_bytes=float_size, float_size_bytes=float_size, accuracy=None, accuracy_note=note,
        latency=None, budget="reference",
    )
    variants = []
    for mode in ios.compress:
        progress(f"ios: building the {mode} variant")
        destination = build_dir / "artifacts" / VARIANTS_DIR / f"{float_package.stem}.{mode}.mlpackage"
        package = compress_package(
            float_package, destination, mode, sparsity=ios.prune_sparsity,
            group_size=ios.palettize_group_size, granularity=ios.palettize_granularity,
        )
        variants.append(VariantResult(
            platform="ios", mode=mode, file=destination.relative_to(build_dir).as_posix(),
            size_bytes=package.size_bytes, float_size_bytes=float_size, accuracy=None,
            accuracy_note=note, latency=None,
            details={"settings": package.settings, "weights": package.weights,
                     "compute_precision": precision},
        ))
    return float_result, variants


def check_compression_plan(loaded: LoadedSpec, *, required: bool = False) -> None:
    """Problems a build would only meet after exporting: report them before loading the model."""
    compression = loaded.spec.compression
    if compression is None:
        if required:
            raise SpecError("--compress needs a compression section in the definition",
                            field="compression", hint="see docs/compression.md")
        return
    android = loaded.spec.platforms.android
    if compression.android.litert_quantize and "litert" not in (android.runtime,
                                                                *android.compare_runtimes):
        raise SpecError(
            "litert_quantize builds LiteRT variants, but the definition does not export LiteRT",
            field="compression.android.litert_quantize",
            hint="add litert to platforms.android.compare_runtimes",
        )
    minimum = int(loaded.spec.platforms.ios.minimum_version.split(".", maxsplit=1)[0])
    if ("palettize4" in compression.ios.compress
            and compression.ios.palettize_granularity == "per_grouped_channel" and minimum < 18):
        raise SpecError(
            f"per_grouped_channel palettization needs iOS 18, the definition targets iOS "
            f"{loaded.spec.platforms.ios.minimum_version}",
            field="compression.ios.palettize_granularity",
            hint="set palettize_granularity: per_tensor, or platforms.ios.minimum_version: '18.0'",
        )


def run_compression(
    loaded: LoadedSpec, sdk: SdkContext, model: LoadedModel, float_artifacts: dict[str, Path],
    build_dir: Path, progress: Callable[[str], None], examples: ExampleInputs | None = None,
) -> CompressionResult:
    """Build, measure and budget-check every variant; ``float_artifacts`` maps platform → artifact.

    ``examples``: inputs every ``.pte``/``.tflite`` also answers, decoded into the report (the
    definition's example photos' top-k, for instance)."""
    import torch

    compression = loaded.spec.compression
    if compression is None:
        raise SpecError("the definition has no compression section", field="compression",
                        hint="add one (see docs/compression.md) or build without --compress")
    evaluation = load_samples(loaded, sdk, compression.evaluation, field="compression.evaluation",
                              with_labels=True)
    progress(f"compression: evaluating on {evaluation.description}")
    index, classification = _scored_output(loaded)
    reference = [run_eager(model, tuple(torch.from_numpy(x) for x in sample))[index]
                 for sample in evaluation.inputs]
    eager_float = measure(reference, reference, classification=classification,
                          labels=evaluation.labels)
    floats: list[VariantResult] = []
    variants: list[VariantResult] = []
    calibration = None
    weight_rounding = None
    if "android" in float_artifacts and compression.android.quantize:
        weight_rounding = _weight_rounding(loaded, model, evaluation, reference)
    if "android" in float_artifacts:
        float_pte, android, calibration = _android_variants(
            loaded, sdk, model, float_artifacts["android"], build_dir, evaluation, reference,
            progress,
        )
        floats.append(float_pte)
        variants += android
    if "ios" in float_artifacts:
        float_package, ios = _ios_variants(loaded, float_artifacts["ios"], build_dir, progress)
        floats.append(float_package)
        variants += ios
    variants = [_check_budget(v, compression, eager_float.accuracy) for v in variants]
    if examples is not None:
        floats = [_with_example_answers(f, build_dir, examples, index) for f in floats]
        variants = [_with_example_answers(v, build_dir, examples, index) for v in variants]
    selection = tuple(select_variant(f.platform, f, variants) for f in floats)
    for chosen in selection:
        progress(f"{chosen.platform}: selected {chosen.file or 'nothing'} ({chosen.reason})")
    return CompressionResult(
        evaluation=evaluation.description, calibration=calibration,
        budget=compression.accuracy_budget.model_dump(), eager_float=eager_float,
        float_artifacts=tuple(floats), variants=tuple(variants), selection=selection,
        weight_rounding=weight_rounding,
    )
