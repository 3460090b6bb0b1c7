"""Other runtimes of a platform, exported and verified beside the SDK's own for comparison.

``platforms.android.compare_runtimes: [litert]`` writes ``artifacts/compare/<model>.tflite`` next to
the shipped ``.pte``, checks it against eager PyTorch with the same inputs and tolerances, and puts
both in the report (and in ``sdkgen bench``). A comparison that fails to convert or to match is
recorded with its error; it never fails the build, since the SDK does not ship it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.errors import SdkgenError, SpecError
from sdkgen.export.base import ExportRequest, backend_for_platform
from sdkgen.spec import LoadedSpec

COMPARE_DIR = "compare"
# Runtimes whose SDK tree (wrapper, package, tests) sdkgen generates, per platform.
RENDERED_RUNTIMES = {"android": ("executorch", "litert"), "ios": ("coreml",)}


@dataclass(frozen=True)
class Comparison:
    runtime: str
    status: str  # "verified" | "failed"
    file: str | None = None  # relative to the build folder
    size_bytes: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    parity: dict[str, Any] | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"runtime": self.runtime, "status": self.status, "file": self.file,
                "size_bytes": self.size_bytes, "details": self.details, "parity": self.parity,
                "error": self.error}


def check_runtime_plan(loaded: LoadedSpec, platforms: tuple[str, ...], *, compress: bool = False) -> None:
    """Before loading the model: the shipped runtime must have a generated SDK tree, its packages
    must be installed, and ``--compress`` must not build ExecuTorch variants of a LiteRT SDK."""
    if "android" not in platforms:
        return
    runtime = loaded.spec.platforms.android.runtime
    backend = backend_for_platform("android", runtime)  # registered?
    if runtime not in RENDERED_RUNTIMES["android"]:
        raise SpecError(
            f"the Android SDK for runtime {runtime!r} is not generated yet (only "
            f"{', '.join(RENDERED_RUNTIMES['android'])} has a Kotlin wrapper)",
            field="platforms.android.runtime",
            hint=f"keep runtime: executorch and add {runtime} to platforms.android.compare_runtimes "
            "to export and verify it beside the .pte",
        )
    compression = loaded.spec.compression
    if compress and compression is not None and compression.android.quantize and not backend.default:
        raise SpecError(
            f"compression.android.quantize builds ExecuTorch .pte variants, but the Android SDK "
            f"ships {runtime}",
            field="compression.android.quantize",
            hint="remove quantize (litert_quantize builds LiteRT's own int8 for comparison), or "
            "ship runtime: executorch",
        )
    backend.require()  # its packages are installed (else the install line), before loading


def run_comparisons(
    loaded: LoadedSpec, request: ExportRequest, *, build_dir: Path,
    parity_inputs: list[tuple[np.ndarray, ...]], eager_outputs: list[tuple[np.ndarray, ...]],
    progress: Callable[[str], None],
) -> tuple[Comparison, ...]:
    """Export and verify every ``compare_runtimes`` entry of Android; errors are recorded."""
    results = []
    for runtime in loaded.spec.platforms.android.compare_runtimes:
        backend = backend_for_platform("android", runtime)
        destination = (build_dir / "artifacts" / COMPARE_DIR
                       / request.artifact_path.with_suffix(backend.artifact_suffix).name)
        progress(f"android: exporting with {runtime} for comparison")
        try:
            exported = backend.export(ExportRequest(
                loaded=request.loaded, plan=request.plan, model=request.model,
                artifact_path=destination, provenance=request.provenance,
            ))
            parity = None
            if backend.verify is not None:
                parity = backend.verify(loaded, request.plan, exported.artifact, parity_inputs,
                                        eager_outputs)
        except SdkgenError as error:
            progress(f"android: {runtime} comparison failed: {error}")
            results.append(Comparison(runtime, "failed", error=str(error)))
            continue
        status = "failed" if parity is not None and parity.status == "failed" else "verified"
        results.append(Comparison(
            runtime, status, file=destination.relative_to(build_dir).as_posix(),
            size_bytes=exported.size_bytes, details=exported.details,
            parity=parity.to_json() if parity is not None else None,
        ))
    return tuple(results)
