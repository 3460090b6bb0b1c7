"""Core ML weight compression of a built ``.mlpackage`` with ``coremltools.optimize.coreml``.

Signatures used (coremltools 9.0, read with ``inspect.signature`` from the installed package):
``OpLinearQuantizerConfig(mode="linear_symmetric", dtype=int8, granularity=PER_CHANNEL,
block_size=32, weight_threshold=2048)``, ``OpPalettizerConfig(mode="kmeans", nbits=None,
granularity=PER_TENSOR, group_size=32, ..., weight_threshold=2048)``,
``OpMagnitudePrunerConfig(target_sparsity=None, ..., weight_threshold=2048)``,
``OptimizationConfig(global_config=...)``, ``linear_quantize_weights / palettize_weights /
prune_weights(mlmodel, config)``; ``get_weights_metadata(mlmodel, weight_threshold)``.

All three run on Linux: they rewrite the ML Program's weights without running the model. Weights
with fewer than ``WEIGHT_THRESHOLD`` elements stay as they are (coremltools' default).
Core ML *prediction* needs macOS, so on Linux a variant's accuracy and latency are not measured;
what is measured here is its size and how far its weights moved (:func:`weight_statistics`).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from sdkgen.errors import ExportError
from sdkgen.export.base import path_size

CompressMode = Literal["int8", "palettize4", "prune"]
WEIGHT_THRESHOLD = 2048
_SUFFIXES = ("quantized", "palettized", "sparsified")  # names coremltools gives the new ops


@dataclass(frozen=True)
class CompressedPackage:
    path: Path
    size_bytes: int
    mode: CompressMode
    settings: dict[str, Any]
    weights: dict[str, Any]  # statistics from weight_statistics()


def _config(
    mode: CompressMode, *, sparsity: float, group_size: int, granularity: str
) -> tuple[Any, dict[str, Any]]:
    import coremltools.optimize.coreml as cto

    if mode == "int8":
        settings: dict[str, Any] = {"mode": "linear_symmetric", "dtype": "int8",
                                    "granularity": "per_channel"}
        op = cto.OpLinearQuantizerConfig(mode="linear_symmetric", dtype="int8",
                                         granularity="per_channel",
                                         weight_threshold=WEIGHT_THRESHOLD)
    elif mode == "palettize4":
        settings = {"mode": "kmeans", "nbits": 4, "granularity": granularity}
        if granularity == "per_grouped_channel":
            settings["group_size"] = group_size
        op = cto.OpPalettizerConfig(mode="kmeans", nbits=4, granularity=granularity,
                                    group_size=group_size, weight_threshold=WEIGHT_THRESHOLD)
    else:
        settings = {"target_sparsity": sparsity}
        op = cto.OpMagnitudePrunerConfig(target_sparsity=sparsity, weight_threshold=WEIGHT_THRESHOLD)
    settings["weight_threshold"] = WEIGHT_THRESHOLD
    return cto.OptimizationConfig(global_config=op), settings


def magnitude_threshold(values: np.ndarray, sparsity: float) -> float:
    """The threshold ``t`` for which ``|w| <= t`` zeroes the share of ``values`` closest to ``sparsity``.

    Computed on the stored values (float16 stays float16: every candidate is one of them, so the
    comparison coremltools makes in the weights' dtype gives exactly the counted share).
    """
    magnitudes = np.sort(np.abs(np.asarray(values)).ravel())
    target = round(sparsity * magnitudes.size)
    if target <= 0:
        return -1.0  # nothing is <= a negative threshold
    at = magnitudes[target - 1]
    # all values equal to `at` are zeroed together: compare with stopping just below them
    with_ties = int(np.searchsorted(magnitudes, at, side="right"))
    below = int(np.searchsorted(magnitudes, at, side="left"))
    if below > 0 and abs(below - target) < abs(with_ties - target):
        return float(magnitudes[below - 1])
    return float(at)


def prune_config(mlmodel: Any, sparsity: float) -> Any:
    """Per-tensor magnitude thresholds computed here, reaching ``sparsity`` on every tensor.

    coremltools 9.0's ``OpMagnitudePrunerConfig`` takes the threshold with ``np.percentile`` in
    the weights' own dtype, which is NaN for float16 tensors above 65504 elements: they came back
    unpruned. ``OpThresholdPrunerConfig`` with a threshold per tensor avoids that.
    """
    import coremltools.optimize.coreml as cto

    weights = cto.get_weights_metadata(mlmodel, weight_threshold=WEIGHT_THRESHOLD)
    return cto.OptimizationConfig(op_name_configs={
        name: cto.OpThresholdPrunerConfig(
            threshold=magnitude_threshold(meta.val, sparsity), minimum_sparsity_percentile=0.0,
            weight_threshold=WEIGHT_THRESHOLD,
        )
        for name, meta in sorted(weights.items())
    })


def _compress(mlmodel: Any, mode: CompressMode, config: Any) -> Any:
    import coremltools.optimize.coreml as cto

    function = {"int8": cto.linear_quantize_weights, "palettize4": cto.palettize_weights,
                "prune": cto.prune_weights}[mode]
    return function(mlmodel, config)


def _decompressed_weights(compressed: Any) -> dict[str, np.ndarray]:
    """Weights the compressed program computes with: each ``constexpr_*`` op materialized."""
    program = compressed._mil_program  # set by coremltools.optimize on the model it returns
    weights: dict[str, np.ndarray] = {}
    for function in program.functions.values():
        for op in function.operations:
            if op.op_type.startswith("constexpr_"):
                weights[op.name] = np.asarray(op.materialized_val_inference(), dtype=np.float64)
    return weights


def weight_statistics(
    original: Any, compressed: Any, *, target_sparsity: float | None = None
) -> dict[str, Any]:
    """How the compressed weights differ from the float ones (computable without prediction).

    ``relative_l2_error`` is ‖w' − w‖ / ‖w‖ over every compressed weight tensor together, with
    ``w'`` the weights the compressed model computes with (its ``constexpr`` ops materialized);
    ``sparsity`` is the share of exact zeros in ``w'``.
    """
    import coremltools.optimize.coreml as cto

    before = cto.get_weights_metadata(original, weight_threshold=WEIGHT_THRESHOLD)
    after = _decompressed_weights(compressed)
    error_sq = reference_sq = 0.0
    zeros = elements = tensors = 0
    short_of_target: list[str] = []
    for name, meta in sorted(before.items()):
        new_values = next(
            (after[f"{name}_{suffix}"] for suffix in _SUFFIXES if f"{name}_{suffix}" in after), None
        )
        old_values = np.asarray(meta.val, dtype=np.float64)
        if new_values is None or new_values.shape != old_values.shape:
            continue
        error_sq += float(np.sum((new_values - old_values) ** 2))
        reference_sq += float(np.sum(old_values**2))
        zeros += int(np.count_nonzero(new_values == 0))
        elements += new_values.size
        tensors += 1
        if target_sparsity is not None and np.mean(new_values == 0) < target_sparsity - 0.01:
            short_of_target.append(f"{name} {list(new_values.shape)}")
    statistics: dict[str, Any] = {
        "tensors_compressed": tensors,
        "tensors_total": len(before),
        "elements": elements,
        "relative_l2_error": round((error_sq / reference_sq) ** 0.5, 6) if reference_sq else 0.0,
        "sparsity": round(zeros / elements, 6) if elements else 0.0,
    }
    if target_sparsity is not None:
        # thresholds are computed per tensor (prune_config); a tensor short of the target would
        # mean ties at the threshold or a tensor coremltools left dense: named here
        statistics["tensors_short_of_target_sparsity"] = short_of_target
    return statistics


def compress_package(
    source: Path, destination: Path, mode: CompressMode, *, sparsity: float = 0.5,
    group_size: int = 16, granularity: str = "per_grouped_channel",
) -> CompressedPackage:
    """Write a compressed copy of the ``.mlpackage`` at ``source`` to ``destination``."""
    import coremltools as ct

    from sdkgen.export.coreml import normalize_package

    config, settings = _config(mode, sparsity=sparsity, group_size=group_size,
                               granularity=granularity)
    try:
        original = ct.models.MLModel(str(source), skip_model_load=True)
        if mode == "prune":
            config = prune_config(original, sparsity)
            settings["threshold"] = "per tensor, computed by sdkgen (see prune_config)"
        compressed = _compress(original, mode, config)
        statistics = weight_statistics(original, compressed,
                                       target_sparsity=sparsity if mode == "prune" else None)
    except Exception as error:
        raise ExportError(
            f"Core ML {mode} compression failed: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}",
            hint="run with --traceback for the full error",
        ) from error
    if destination.exists():
        shutil.rmtree(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    compressed.save(str(destination))
    normalize_package(destination)
    return CompressedPackage(destination, path_size(destination), mode, settings, statistics)
