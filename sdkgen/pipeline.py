"""``build``: one definition → verified artifacts, golden vectors, platform trees and a report.

The stages run in one direction and talk only through their return values. Everything is written
into a staging folder beside the output and moved into place at the end, so a failed or interrupted
build leaves no output behind (and an existing output untouched).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen import golden, loading, report
from sdkgen.build_cache import BuildCache
from sdkgen.cache_keys import export_key, parity_key, tree_key
from sdkgen.codegen.context import SdkContext
from sdkgen.errors import (
    ExportError,
    OutputError,
    ParityError,
    PartialBuildError,
    SdkgenError,
    SpecError,
)
from sdkgen.examples_source import raw_cases, seeded_raw_inputs
from sdkgen.export.base import Backend, ExportRequest, ExportResult, path_size, shipped_backend
from sdkgen.export.compare import Comparison, check_runtime_plan, run_comparisons
from sdkgen.features.base import declared_output, output_kind, output_labels
from sdkgen.numerics import float16_overflow_warning
from sdkgen.output_capture import captured_output
from sdkgen.parallel_export import ChildExport, shared_cores, start_export, worth_parallel
from sdkgen.plan import check_plan, make_plan, with_cases, with_output_shapes
from sdkgen.progress import (
    MODEL_SCOPE,
    BuildFinished,
    BuildStarted,
    Reporter,
    StageFinished,
    StageStarted,
    as_reporter,
    summary_rows,
)
from sdkgen.reference import choose_reference
from sdkgen.spec import LoadedSpec, load_spec
from sdkgen.verify import (
    ParityResult,
    SpecCheckResult,
    check_coreml_spec,
    coreml_prediction_available,
    parity_from_json,
    verify_coreml,
)
from sdkgen.version import build_environment, tool_versions

PLATFORMS = ("android", "ios")


class Stage(StrEnum):
    SPEC = "spec"
    LOAD = "load"
    GOLDEN = "golden"
    EXPORT = "export"
    VERIFY = "verify"
    RENDER = "render"
    REPORT = "report"


@dataclass(frozen=True)
class PlatformOutcome:
    platform: str
    status: str  # "built" | "failed"
    export: ExportResult | None = None
    parity: ParityResult | None = None
    spec_check: SpecCheckResult | None = None
    error: str | None = None
    error_kind: str | None = None
    warnings: tuple[str, ...] = ()
    comparisons: tuple[Comparison, ...] = ()  # other runtimes, exported and verified beside


@dataclass
class Timings:
    """Wall-clock seconds per stage and the stages taken from the build cache: what differs between
    runs of the same inputs, so kept out of the tree (``<out>.timings.json``)."""

    stages: dict[str, float] = field(default_factory=dict)
    reused: list[str] = field(default_factory=list)

    @contextlib.contextmanager
    def measure(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = round(self.stages.get(name, 0.0) + time.perf_counter() - start, 3)


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    report: dict[str, Any]
    timings: dict[str, float]
    outcomes: tuple[PlatformOutcome, ...]


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def _make_parent(out_dir: Path) -> Path:
    parent = out_dir.parent
    blocking = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise OutputError(f"cannot create {out_dir}: {blocking} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {parent}: {error.strerror}") from None
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{parent} is not writable", hint="choose another --out")
    return parent


def _refuse_existing(out_dir: Path, *, force: bool) -> None:
    if out_dir.exists() and not force:
        raise OutputError(
            f"{out_dir} already exists", hint="pass --force to replace it, or choose another --out"
        )


@contextlib.contextmanager
def _staging(out_dir: Path, *, force: bool) -> Iterator[Path]:
    """A temporary folder beside ``out_dir``; moved into place only if the block succeeds."""
    from filelock import FileLock, Timeout

    parent = _make_parent(out_dir)
    lock = FileLock(str(parent / f".{out_dir.name}.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputError(
            f"another sdkgen build is writing {out_dir}", hint="wait for it or choose another --out"
        ) from None
    try:
        _refuse_existing(out_dir, force=force)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=parent))
        try:
            try:
                yield staging
            except OSError as error:
                raise OutputError(
                    f"writing the build failed: {error.strerror or error}"
                    + (f" ({error.filename})" if error.filename else ""),
                    hint="check free disk space and permissions; nothing was written to "
                    f"{out_dir}",
                ) from error
            if out_dir.exists():
                trash = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
                out_dir.rename(trash / "old")
                staging.rename(out_dir)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                staging.rename(out_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            (parent / f".{out_dir.name}.lock").unlink()


def _check_outputs(loaded: LoadedSpec, eager: tuple[np.ndarray, ...]) -> None:
    spec = loaded.spec
    if len(eager) != len(spec.outputs):
        raise SpecError(
            f"the model returns {len(eager)} tensors, the definition declares "
            f"{len(spec.outputs)} ({', '.join(o.name for o in spec.outputs)})",
            field="outputs",
            hint="declare one entry under outputs per tensor forward() returns, in order",
        )
    for index, (output, value) in enumerate(zip(spec.outputs, eager, strict=True)):
        output_kind(output.kind).check_eager(
            value, declared_output(output), output_labels(loaded, output), f"outputs[{index}]"
        )


def _parity_inputs(
    loaded: LoadedSpec, sdk: SdkContext, cases: list[golden.GoldenCase]
) -> list[tuple[np.ndarray, ...]]:
    """Golden cases' model inputs plus the definition's seeded random inputs."""
    features = sdk.feature_names[0]
    inputs = [tuple(case.input_tensors[f] for f in features) for case in cases]
    for extra in seeded_raw_inputs(loaded, sdk):
        inputs.append(tuple(extra[f] for f in features))
    return inputs


def _artifact_name(plan: SdkContext, platform: str) -> str:
    return plan.android.model_asset if platform == "android" else plan.ios.model_resource


def _cached_export(
    cache: BuildCache, key: str, backend: Backend, request: ExportRequest,
) -> ExportResult | None:
    """The artifact of an earlier export with the same key, its metadata rewritten for this build."""
    entry = cache.get("exports", key)
    if entry is None:
        return None
    target = request.artifact_path
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.metadata["is_dir"]:
        shutil.copytree(entry.payload, target)
    else:
        shutil.copyfile(entry.payload / entry.metadata["file"], target)
    backend.refresh(request)
    return ExportResult(
        backend=backend.name, platform=backend.platform, artifact=target,
        size_bytes=path_size(target), details=entry.metadata["details"],
        warnings=tuple(entry.metadata["warnings"]),
    )


def _export_platform(
    platform: str, loaded: LoadedSpec, model: loading.LoadedModel, sdk: SdkContext,
    staging: Path, provenance: dict[str, str], parity_inputs: list[tuple[np.ndarray, ...]],
    eager_outputs: list[tuple[np.ndarray, ...]], timings: Timings, events: Reporter,
    platform_warnings: tuple[str, ...], cache: BuildCache | None, child: ChildExport | None,
) -> PlatformOutcome:
    backend = shipped_backend(sdk, platform)
    file_name = _artifact_name(sdk, platform)
    request = ExportRequest(
        loaded=loaded, plan=sdk, model=model, artifact_path=staging / "artifacts" / file_name,
        provenance=provenance,
    )
    key = export_key(loaded, sdk, platform, backend.name, file_name) if cache is not None else None
    with timings.measure(f"{Stage.EXPORT}.{platform}"):
        exported = _cached_export(cache, key, backend, request) if cache and key else None
        if exported is not None:
            timings.reused.append(f"{Stage.EXPORT}.{platform}")
            events(f"{platform}: reused the cached {backend.name} export")
        else:
            if child is not None:  # its stage started with the process (_build_tree)
                try:
                    exported = child.result()
                except BaseException as error:
                    events.failed(platform, str(error).split("\n", 1)[0])
                    raise
                events.emit(StageFinished(platform, Stage.EXPORT,
                                          round(time.monotonic() - child.started, 3)))
            else:
                with events.stage(platform, Stage.EXPORT, f"exporting with {backend.name}"):
                    exported = backend.export(request)
            if cache is not None and key is not None:
                cache.put("exports", key, exported.artifact, {
                    "is_dir": exported.artifact.is_dir(), "file": exported.artifact.name,
                    "details": exported.details, "warnings": list(exported.warnings),
                })
    for warning in exported.warnings:
        events.warning(warning, scope=platform)
    spec_check = None
    warnings = list(exported.warnings)
    verify_key = (parity_key(key, parity_inputs, eager_outputs, loaded)
                  if cache is not None and key is not None else None)
    cached = cache.get("parity", verify_key) if cache is not None and verify_key else None
    runs_here = cached is None and (platform == "android" or coreml_prediction_available())
    verifying = (f"reusing the cached verification of {exported.artifact.name}" if cached is not None
                 else f"verifying {exported.artifact.name}" if runs_here
                 else f"checking {exported.artifact.name}")
    with timings.measure(f"{Stage.VERIFY}.{platform}"), events.stage(
            platform, Stage.VERIFY, verifying,
            total=len(parity_inputs) if runs_here else None) as advance:
        if cached is not None:
            timings.reused.append(f"{Stage.VERIFY}.{platform}")
        if platform == "android":
            assert backend.verify is not None
            parity = (parity_from_json(cached.metadata["parity"]) if cached is not None else
                      backend.verify(loaded, sdk, exported.artifact, parity_inputs, eager_outputs,
                                     on_case=advance))
        else:
            from sdkgen.export.coreml import model_metadata

            spec_check = check_coreml_spec(
                loaded, sdk, exported.artifact, expected_metadata=model_metadata(request),
            )
            parity = (parity_from_json(cached.metadata["parity"]) if cached is not None else
                      verify_coreml(loaded, sdk, exported.artifact, parity_inputs, eager_outputs,
                                    on_case=advance))
            for warning in platform_warnings:
                events.warning(warning, scope=platform)
                warnings.append(warning)
        if cache is not None and verify_key is not None and cached is None:
            cache.put("parity", verify_key, None, {"parity": parity.to_json()})
    comparisons: tuple[Comparison, ...] = ()
    if platform == "android":
        with timings.measure(f"{Stage.EXPORT}.{platform}.compare"):
            comparisons = run_comparisons(
                loaded, request, build_dir=staging, parity_inputs=parity_inputs,
                eager_outputs=eager_outputs, progress=events,
            )
    return PlatformOutcome(platform, "built", exported, parity, spec_check, warnings=tuple(warnings),
                           comparisons=comparisons)


def _write_timings(out_dir: Path, timings: Timings, compression: Any) -> None:
    timing_document: dict[str, Any] = {"seconds": timings.stages, "reused_from_cache": timings.reused}
    if compression is not None:
        timing_document["pte_latency_ms"] = compression.latencies()
        timing_document["selected"] = compression.selected()
    timings_path = out_dir.with_name(out_dir.name + ".timings.json")
    timings_path.write_text(json.dumps(timing_document, indent=2, sort_keys=True) + "\n")


def _fail_on_verification(outcome: PlatformOutcome) -> None:
    if outcome.parity is not None and outcome.parity.status == "failed":
        lines = [
            f"  {o.output}: {'; '.join(o.failures)}" for o in outcome.parity.outputs if o.failures
        ]
        raise ParityError(
            f"{outcome.platform}: {outcome.parity.artifact} disagrees with eager PyTorch over "
            f"{outcome.parity.cases} inputs:\n" + "\n".join(lines),
            hint="loosen validation.outputs.<name> only if the difference is acceptable; for Core "
            "ML float16 overflow try platforms.ios.precision: float32",
        )
    if outcome.spec_check is not None and outcome.spec_check.status == "failed":
        bad = [c for c in outcome.spec_check.checks if not c.passed]
        raise ExportError(
            f"{outcome.platform}: the Core ML package does not match the definition: "
            + "; ".join(f"{c.check}: expected {c.expected}, found {c.found}" for c in bad)
        )


def build_log_path(out_dir: Path) -> Path:
    """Where a build into ``out_dir`` writes what libraries printed (not part of the tree)."""
    return out_dir.with_name(out_dir.name + ".build.log")


def _fresh_log(out_dir: Path, *, force: bool) -> Path:
    """The build log of ``out_dir``, emptied, once the output folder may be written."""
    log_path = build_log_path(out_dir)
    _make_parent(out_dir)
    _refuse_existing(out_dir, force=force)  # before the capture replaces the last build's log
    log_path.unlink(missing_ok=True)  # export processes append to it
    return log_path


def _capture(log_path: Path, events: Reporter) -> contextlib.AbstractContextManager[object]:
    import logging

    return captured_output(log_path, level=logging.INFO if events.wants_log else logging.WARNING,
                           follow=events.log_line if events.wants_log else None)


def _own_build(task_build: Callable[..., BuildResult], loaded: LoadedSpec, *,
               out_dir: Path | None, platforms: tuple[str, ...], force: bool, events: Reporter,
               capture_output: bool) -> BuildResult:
    """The build of a task with its own definition (text generation), its library output in the
    same ``<out>.build.log`` as any build's."""
    from sdkgen.codegen import naming

    out_dir = (out_dir or Path("build") / naming.snake_name(loaded.spec.name)).resolve()
    if not capture_output:
        return task_build(loaded, out_dir=out_dir, platforms=platforms, force=force,
                          progress=events)
    log_path = _fresh_log(out_dir, force=force)
    events(f"building {loaded.spec.name} for {', '.join(platforms)} (log: {log_path})")
    started = time.monotonic()
    try:
        with _capture(log_path, events):
            result = task_build(loaded, out_dir=out_dir, platforms=platforms, force=force,
                                progress=events)
    except BaseException:
        events(f"what libraries printed during the build is in {log_path}")
        raise
    events(f"built {result.out_dir} in {time.monotonic() - started:.1f} s; report: "
           f"{result.out_dir / 'report.md'}")
    return result


def build(
    spec_path: Path, *, out_dir: Path | None = None, platforms: tuple[str, ...] = PLATFORMS,
    force: bool = False, progress: Reporter | Progress = _quiet, compress: bool = False,
    cache: BuildCache | None = None, parallel: bool = True, capture_output: bool = True,
) -> BuildResult:
    """Build the SDKs of ``spec_path`` into ``out_dir`` (default ``build/<snake name>``).

    ``compress`` also builds the definition's compressed variants into ``artifacts/variants/``
    and measures them (see :mod:`sdkgen.compression.stage`). With a ``cache``, an unchanged build
    is restored whole and unchanged exports are reused (see :mod:`sdkgen.build_cache`); what was
    reused is listed in the timings file, never in the (deterministic) tree. With ``parallel``
    (and two platforms, two cores), every platform but the last exports in a child process while
    this one loads the model, writes the golden vectors and exports the last
    (:mod:`sdkgen.parallel_export`).

    ``progress`` receives the build's events (a :class:`~sdkgen.progress.Reporter`; a plain
    callable receives them as lines). With ``capture_output``, what libraries and native code
    print during the build (log records, warnings, descriptors 1 and 2) goes to
    ``<out>.build.log`` beside ``<out>.timings.json``, not to the terminal
    (:mod:`sdkgen.output_capture`).
    """
    from sdkgen.codegen import naming

    events = as_reporter(progress)
    started = time.monotonic()
    timings = Timings()
    with timings.measure(Stage.SPEC):
        loaded = load_spec(spec_path)
        from sdkgen.tasks import task_for_definition

        own = task_for_definition(loaded)
        if own is not None and own.build is not None:  # a task with its own definition builds it
            return _own_build(own.build, loaded, out_dir=out_dir, platforms=platforms,
                              force=force, events=events, capture_output=capture_output)
        check_plan(loaded)
        check_runtime_plan(loaded, platforms, compress=compress)
        plan = make_plan(loaded, versions=tool_versions())
        if compress:
            from sdkgen.compression.stage import check_compression_plan

            check_compression_plan(loaded, required=True)
    out_dir = (out_dir or Path("build") / naming.snake_name(loaded.spec.name)).resolve()
    log_path = _fresh_log(out_dir, force=force)
    events.emit(BuildStarted(loaded.spec.name, (MODEL_SCOPE, *platforms), out_dir,
                             log_path if capture_output else None))
    capture = _capture(log_path, events) if capture_output else contextlib.nullcontext()
    try:
        with capture:
            result = _build_tree(loaded, plan, out_dir, platforms=platforms, force=force,
                                 events=events, compress=compress, cache=cache, parallel=parallel,
                                 timings=timings, log_path=log_path)
    except BaseException:
        if capture_output:
            events(f"what libraries printed during the build is in {log_path}")
        raise
    failed = [o for o in result.outcomes if o.status == "failed"]
    events.emit(BuildFinished(
        out_dir=out_dir, report=out_dir / "report.md", log=log_path if capture_output else None,
        rows=summary_rows(result.report, events.scope_seconds, tuple(timings.reused)),
        seconds=round(time.monotonic() - started, 1), status="partial" if failed else "built",
    ))
    if failed:
        raise PartialBuildError(
            f"built {', '.join(o.platform for o in result.outcomes if o.status == 'built')} into "
            f"{out_dir}; failed: " + "; ".join(f"{o.platform}: {o.error}" for o in failed)
        )
    return result


def _build_tree(
    loaded: LoadedSpec, plan: SdkContext, out_dir: Path, *, platforms: tuple[str, ...],
    force: bool, events: Reporter, compress: bool, cache: BuildCache | None, parallel: bool,
    timings: Timings, log_path: Path,
) -> BuildResult:
    """The stages after the definition was read, writing ``out_dir`` (see :func:`build`)."""
    whole_key = tree_key(loaded, platforms) if cache is not None and not compress else None
    finished = cache.get("trees", whole_key) if cache is not None and whole_key else None
    if finished is not None:
        with timings.measure("restore"), _staging(out_dir, force=force) as staging:
            shutil.copytree(finished.payload, staging, dirs_exist_ok=True)
            document = json.loads((staging / "report.json").read_text(encoding="utf-8"))
        timings.reused.append("all")
        for scope in (MODEL_SCOPE, *platforms):
            events.finished(scope, "unchanged since a cached build: restored")
        _write_timings(out_dir, timings, None)
        outcomes = tuple(PlatformOutcome(p, "built") for p in platforms)
        return BuildResult(out_dir, document, dict(timings.stages), outcomes)
    from sdkgen.codegen.platforms import generate_platform_tree
    from sdkgen.codegen.workflows import generate_workflows

    provenance = {
        "sdkgen_version": plan.versions["sdkgen"], "torch_version": plan.versions["torch"],
        "executorch_version": plan.versions["executorch"],
        "coremltools_version": plan.versions["coremltools"], "spec_sha256": loaded.sha256,
        "model_name": loaded.spec.name, "model_version": loaded.spec.version,
    }
    children: dict[str, ChildExport] = {}
    with _staging(out_dir, force=force) as staging, contextlib.ExitStack() as cleanup:
        cleanup.callback(lambda: [child.cancel() for child in children.values()])
        if parallel and worth_parallel(len(platforms)):
            for platform in platforms[:-1]:
                file_name = _artifact_name(plan, platform)
                key = export_key(loaded, plan, platform, shipped_backend(plan, platform).name,
                                 file_name) if cache is not None else None
                if cache is not None and key is not None and cache.get("exports", key):
                    continue  # reused below, nothing to export
                children[platform] = start_export(
                    loaded.path, platform, plan, staging / "artifacts" / file_name, provenance,
                    log_path,
                )
                events.emit(StageStarted(
                    platform, Stage.EXPORT,
                    f"exporting with {shipped_backend(plan, platform).name} (separate process)",
                    at=children[platform].started))
        import logging  # torch only now: the export processes started first, they are the longer path

        import torch
        import torch._logging

        torch._logging.set_logs(all=logging.ERROR)  # torch configures its own loggers on import
        if children:
            cleanup.enter_context(shared_cores(len(children) + 1))
        with timings.measure(Stage.LOAD), events.stage(
                MODEL_SCOPE, Stage.LOAD,
                f"loading the model ({loaded.spec.model.callable or loaded.spec.model.program})"):
            model = loading.load_model(loaded)
            probe = loading.run_eager(model, model.example_inputs)
            _check_outputs(loaded, probe)
            reference = choose_reference(model, probe)
        versions = plan.versions
        with timings.measure(Stage.GOLDEN), events.stage(MODEL_SCOPE, Stage.GOLDEN,
                                                         "computing the golden vectors"):
            raw = raw_cases(loaded, plan)
            sdk = with_cases(with_output_shapes(plan, [tuple(o.shape) for o in probe]),
                             tuple(c.name for c in raw))
            features = sdk.feature_names[0]
            cases = []
            for case in raw:
                tensors = golden.preprocess(sdk, case)
                outputs = reference.run(tuple(torch.from_numpy(tensors[f]) for f in features))
                cases.append(golden.GoldenCase(
                    name=case.name, source=case.source, raw_inputs=case.raw_inputs,
                    input_tensors=tensors,
                    output_tensors={o.feature_name: v for o, v in zip(sdk.outputs, outputs,
                                                                      strict=True)},
                ))
            golden_dir = staging / "golden"
            golden.write_golden(golden_dir, sdk, cases)
            parity_inputs = _parity_inputs(loaded, sdk, cases)
            eager_outputs = [
                reference.run(tuple(torch.from_numpy(x) for x in case)) for case in parity_inputs
            ]
            # measured here, before any runtime's worker threads compete for the cores
            ios_warnings: tuple[str, ...] = ()
            if "ios" in platforms and loaded.spec.platforms.ios.precision == "float16":
                overflow = float16_overflow_warning(
                    model.module, [tuple(torch.from_numpy(x) for x in case) for case in parity_inputs]
                )
                ios_warnings = (overflow,) if overflow is not None else ()
        by_platform: dict[str, PlatformOutcome] = {}
        failures: dict[str, SdkgenError] = {}
        # platforms exporting here first, so the children's exports overlap with them
        for platform in sorted(platforms, key=lambda name: name in children):
            try:
                outcome = _export_platform(
                    platform, loaded, model, sdk, staging, provenance, parity_inputs,
                    eager_outputs, timings, events,
                    platform_warnings=ios_warnings if platform == "ios" else (), cache=cache,
                    child=children.get(platform),
                )
                _fail_on_verification(outcome)
                with timings.measure(f"{Stage.RENDER}.{platform}"), events.stage(
                        platform, Stage.RENDER, f"rendering the {platform} tree"):
                    assert outcome.export is not None
                    generate_platform_tree(
                        platform, sdk, model_artifact=outcome.export.artifact,
                        golden_dir=golden_dir, out_dir=staging / platform,
                    )
                events.finished(platform, f"built {outcome.export.artifact.name}")
            except SdkgenError as error:
                events.failed(platform, str(error))
                if len(platforms) == 1:
                    raise
                failures[platform] = error
                outcome = PlatformOutcome(platform, "failed", error=str(error),
                                          error_kind=error.kind)
                shutil.rmtree(staging / platform, ignore_errors=True)
            by_platform[platform] = outcome
        outcomes = [by_platform[platform] for platform in platforms]
        generate_workflows(sdk, tuple(o.platform for o in outcomes if o.status == "built"), staging)
        if all(o.status == "failed" for o in outcomes):
            first = next(failures[p] for p in platforms if p in failures)
            raise type(first)(
                "every platform failed:\n" + "\n".join(f"  {o.platform}: {o.error}" for o in outcomes),
                hint=first.hint,
            )
        compression = None
        if compress:
            from sdkgen.compression.stage import example_inputs, run_compression

            with timings.measure("compress"), events.stage(
                    MODEL_SCOPE, "compress", "building and measuring the compressed variants"):
                compression = run_compression(
                    loaded, sdk, model,
                    {o.platform: o.export.artifact for o in outcomes
                     if o.status == "built" and o.export is not None},
                    staging, events, example_inputs(loaded, sdk, cases),
                )
        with timings.measure(Stage.REPORT), events.stage(MODEL_SCOPE, Stage.REPORT,
                                                         "writing the report"):
            document = report.build_report(
                loaded=loaded, sdk=sdk, model_source=model.source, cases=cases,
                parity_case_count=len(parity_inputs), outcomes=outcomes, versions=versions,
            )
            document["golden"]["reference"] = reference.to_json()
            document["environment"] = build_environment()
            if compression is not None:
                document["compression"] = compression.to_json()
            report.write_report(staging, document)
            if whole_key is not None and cache is not None and all(
                    o.status == "built" for o in outcomes):
                cache.put("trees", whole_key, staging, {})
        events.finished(MODEL_SCOPE, "golden vectors and report written")
    _write_timings(out_dir, timings, compression)
    return BuildResult(out_dir, document, dict(timings.stages), tuple(outcomes))
