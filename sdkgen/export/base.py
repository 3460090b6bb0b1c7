"""What every export backend returns, and the registry backends add themselves to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sdkgen.codegen.context import SdkContext
from sdkgen.errors import ExportError, SdkgenError
from sdkgen.loading import LoadedModel
from sdkgen.spec import LoadedSpec

if TYPE_CHECKING:
    from sdkgen.verify import ParityResult


@dataclass(frozen=True)
class ExportRequest:
    loaded: LoadedSpec
    plan: SdkContext  # the build plan: feature names, kinds, shapes, dtypes
    model: LoadedModel
    artifact_path: Path  # where the backend writes its artifact (file or package folder)
    provenance: dict[str, str]  # sdkgen/torch/... versions and the spec hash


@dataclass(frozen=True)
class ExportResult:
    backend: str
    platform: str
    artifact: Path
    size_bytes: int
    details: dict[str, Any] = field(default_factory=dict)  # backend-specific, JSON-serializable
    warnings: tuple[str, ...] = ()


class Verify(Protocol):
    """(loaded, plan, artifact, parity inputs, eager outputs) -> parity of the artifact from disk;
    ``on_case`` is called with the number of inputs run so far."""

    def __call__(self, loaded: LoadedSpec, plan: SdkContext, artifact: Path,
                 inputs: list[tuple[Any, ...]], eager_outputs: list[tuple[Any, ...]],
                 on_case: Callable[[int], None] | None = None) -> ParityResult: ...


@dataclass(frozen=True)
class Backend:
    """One runtime of one platform: how to export its artifact and, where it runs here, verify it.

    A platform may have several runtimes (Android: ExecuTorch and LiteRT); the definition picks the
    one its SDK ships (``platforms.<platform>.runtime``), ``default`` marks the one used otherwise.
    """

    name: str  # the runtime: "executorch", "litert", "coreml"
    platform: str  # "android", "ios"
    artifact_suffix: str  # ".pte", ".tflite", ".mlpackage"
    export: Callable[[ExportRequest], ExportResult]
    # Rewrites the metadata (provenance, labels, descriptions) of an artifact taken from the
    # build cache and already at request.artifact_path, so it equals what export() would write.
    refresh: Callable[[ExportRequest], None]
    verify: Verify | None = None  # numeric parity of the artifact reloaded from disk
    default: bool = False
    # raises an SdkgenError (with the install line) when this host cannot export the artifact,
    # so a definition that ships it is refused before the model is loaded
    require: Callable[[], None] = lambda: None


_BACKENDS: dict[str, Backend] = {}


def register_backend(backend: Backend) -> Backend:
    if backend.name in _BACKENDS:
        raise SdkgenError(f"export backend {backend.name!r} is registered twice")
    if backend.default and any(b.default and b.platform == backend.platform for b in _BACKENDS.values()):
        raise SdkgenError(f"two default export backends for {backend.platform!r}")
    _BACKENDS[backend.name] = backend
    return backend


def _register_builtin() -> None:
    from sdkgen.export import coreml, executorch, litert  # noqa: F401  (registration)


def runtimes_for_platform(platform: str) -> tuple[str, ...]:
    _register_builtin()
    return tuple(sorted(b.name for b in _BACKENDS.values() if b.platform == platform))


def backend_for_platform(platform: str, runtime: str | None = None) -> Backend:
    """The backend of ``runtime`` on ``platform`` (its default backend when ``runtime`` is None)."""
    _register_builtin()
    matches = [
        b for b in _BACKENDS.values()
        if b.platform == platform and (b.name == runtime if runtime is not None else b.default)
    ]
    if len(matches) != 1:
        known = ", ".join(runtimes_for_platform(platform)) or "none"
        wanted = f"runtime {runtime!r}" if runtime is not None else "a default runtime"
        raise SdkgenError(f"no export backend for {wanted} on {platform!r} (registered: {known})")
    return matches[0]


def shipped_backend(plan: SdkContext, platform: str) -> Backend:
    """The backend whose artifact ``platform``'s SDK ships: the plan's runtime on a platform with a
    choice of runtimes (Android's ``platforms.android.runtime``), else the platform's default."""
    from sdkgen.codegen.platforms import platform_layout

    return backend_for_platform(platform, platform_layout(platform).runtime(plan))


def path_size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


_USER_LINE = re.compile(r'File "([^"]+)", line (\d+)')


def capture_program(request: ExportRequest, *, for_backend: str) -> Any:
    """``torch.export.export`` the model, turning capture failures into an actionable ExportError."""
    import torch

    try:
        return torch.export.export(request.model.module, request.model.example_inputs, strict=False)
    except Exception as error:
        raise explain_capture_failure(error, for_backend=for_backend) from error


def explain_capture_failure(error: Exception, *, for_backend: str) -> ExportError:
    text = str(error)
    first_line = next((line for line in text.splitlines() if line.strip()), type(error).__name__)
    locations = [
        f"{path}:{line}" for path, line in _USER_LINE.findall(text)
        if "site-packages" not in path and "/torch/" not in path
    ]
    where = f" at {locations[-1]}" if locations else ""
    data_dependent = any(
        marker in text
        for marker in ("data-dependent", "data dependent", "GuardOnDataDependentSymNode",
                       "Could not guard on data-dependent", "could not extract specialized integer")
    )
    if data_dependent:
        reason = "the model branches on tensor values (data-dependent control flow)"
        hint = ("replace Python `if`/`while` on tensor values with torch.where or torch.cond, "
                "or move the decision out of forward()")
    else:
        reason = f"{type(error).__name__}: {first_line}"
        hint = "see https://pytorch.org/docs/stable/export.html for what torch.export can capture"
    return ExportError(
        f"{for_backend}: torch.export could not capture the model: {reason}{where}", hint=hint
    )
