"""What a build says while it runs: events reported by the stages, shown by a renderer.

The pipeline never prints. It reports events to a :class:`Reporter`: the build started (with its
scopes: ``model`` for the shared stages, then one per platform), a stage of a scope started (with a
total where the amount of work is known, e.g. verification inputs), work advanced, a stage finished,
a scope finished (built or failed), a note or a warning, a line of the build log (only when asked
for, ``--verbose``), and the build finished with a summary row per artifact. A renderer chosen by
the command line (:mod:`sdkgen.terminal`) turns them into a live display, plain lines or nothing.

Older stages still report plain strings (``progress("android: exporting with litert …")``): a
:class:`Reporter` is also such a callable, and a string that starts with one of the build's scopes
is a note of that scope.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MODEL_SCOPE = "model"


def _now() -> float:
    return time.monotonic()


@dataclass(frozen=True)
class BuildStarted:
    name: str
    scopes: tuple[str, ...]  # MODEL_SCOPE, then the platforms, in display order
    out_dir: Path
    log: Path | None
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class StageStarted:
    scope: str
    stage: str
    description: str
    total: int | None = None  # known amount of work (e.g. inputs to verify), else None
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class WorkAdvanced:
    scope: str
    completed: int
    total: int
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class StageFinished:
    scope: str
    stage: str
    seconds: float
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class ScopeFinished:
    scope: str
    status: Literal["done", "failed"]
    detail: str
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class Note:
    text: str
    scope: str | None = None
    level: Literal["info", "warning"] = "info"
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class LogLine:
    """A line written to the build log by a library, the runtime or the export process."""

    text: str
    at: float = field(default_factory=_now)


@dataclass(frozen=True)
class SummaryRow:
    platform: str
    artifact: str
    size_bytes: int | None
    verdict: str
    seconds: float | None
    reused: bool = False  # taken from the build cache


@dataclass(frozen=True)
class BuildFinished:
    out_dir: Path
    report: Path
    log: Path | None
    rows: tuple[SummaryRow, ...]
    seconds: float
    status: Literal["built", "partial"] = "built"
    at: float = field(default_factory=_now)


Event = (BuildStarted | StageStarted | WorkAdvanced | StageFinished | ScopeFinished | Note | LogLine
         | BuildFinished)
Sink = Callable[[Event], None]


def _discard(_: Event) -> None:
    return None


class Reporter:
    """What stages report to. ``sink`` receives every event; ``wants_log`` asks for the build
    log's lines as :class:`LogLine` events (``--verbose``)."""

    def __init__(self, sink: Sink = _discard, *, wants_log: bool = False) -> None:
        self._sink = sink
        self.wants_log = wants_log
        self._scopes: tuple[str, ...] = ()
        self._first: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._finished: set[str] = set()

    def emit(self, event: Event) -> None:
        if isinstance(event, BuildStarted):
            self._scopes = event.scopes
        if isinstance(event, ScopeFinished):
            if event.scope in self._finished:
                return  # already reported (the failing stage reports first)
            self._finished.add(event.scope)
        scope = getattr(event, "scope", None)
        if isinstance(event, StageStarted | StageFinished | ScopeFinished) and scope is not None:
            self._first.setdefault(scope, event.at)
            self._last[scope] = event.at
        self._sink(event)

    def __call__(self, text: str) -> None:
        """A plain progress string, from stages that report strings (``"ios: building …"``)."""
        scope, separator, rest = text.partition(": ")
        if separator and scope in self._scopes:
            self.emit(Note(rest, scope=scope))
        elif text.startswith("warning: "):
            self.emit(Note(text.removeprefix("warning: "), level="warning"))
        else:
            self.emit(Note(text))

    @contextlib.contextmanager
    def stage(self, scope: str, stage: str, description: str, *,
              total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Report a stage around the block; the block may call the yielded function with the
        amount of work completed so far (out of ``total``)."""
        from sdkgen.interrupts import delivered, raise_if_swallowed

        raise_if_swallowed()
        start = _now()
        self.emit(StageStarted(scope, stage, description, total, at=start))

        def advance(completed: int) -> None:
            if total is not None:
                self.emit(WorkAdvanced(scope, completed, total))

        try:
            yield advance
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt):
                delivered()
            self.failed(scope, str(error) or type(error).__name__)
            raise
        self.emit(StageFinished(scope, stage, round(_now() - start, 3)))

    def warning(self, text: str, *, scope: str | None = None) -> None:
        self.emit(Note(text, scope=scope, level="warning"))

    def finished(self, scope: str, detail: str) -> None:
        self.emit(ScopeFinished(scope, "done", detail))

    def failed(self, scope: str, detail: str) -> None:
        self.emit(ScopeFinished(scope, "failed", detail.split("\n", 1)[0]))

    def log_line(self, text: str) -> None:
        self.emit(LogLine(text))

    def scope_seconds(self, scope: str) -> float | None:
        """Wall time from a scope's first reported stage to its last event (platforms overlap)."""
        if scope not in self._first:
            return None
        return round(self._last[scope] - self._first[scope], 1)


def as_reporter(progress: Reporter | Callable[[str], None]) -> Reporter:
    """A :class:`Reporter` from what a caller passed: itself, or a callable taking plain lines."""
    if isinstance(progress, Reporter):
        return progress

    def lines(event: Event) -> None:
        for line in plain_lines(event):
            progress(line)

    return Reporter(lines)


def format_size(size: int | None) -> str:
    if size is None:
        return "—"
    if size >= 1e6:
        return f"{size / 1e6:.1f} MB"
    return f"{size / 1e3:.1f} kB"


def _verdict(entry: dict[str, Any]) -> str:
    if entry["status"] == "failed":
        return f"FAILED ({entry.get('error', {}).get('kind', 'error')})"
    parity = entry.get("parity") or {}
    status = parity.get("status", "—")
    if status == "skipped":
        check = entry.get("spec_check")
        spec = f"spec {check['status']}; " if check else ""
        return f"{spec}numeric skipped (not macOS)" if "macOS" in parity.get("reason", "") \
            else f"{spec}numeric skipped"
    if status in ("passed", "failed"):
        return f"{status} ({parity['cases']} inputs)"
    return str(status)


def summary_rows(document: dict[str, Any], seconds: Callable[[str], float | None],
                 reused: tuple[str, ...] = ()) -> tuple[SummaryRow, ...]:
    """One row per platform artifact (and per runtime compared beside it) of a report document."""
    rows = []
    for entry in document.get("platforms", []):
        platform = entry["platform"]
        artifact = entry.get("artifact") or {}
        rows.append(SummaryRow(
            platform=platform, artifact=Path(artifact.get("file", "—")).name,
            size_bytes=artifact.get("size_bytes"), verdict=_verdict(entry),
            seconds=seconds(platform),
            reused="all" in reused or f"export.{platform}" in reused,
        ))
        for comparison in entry.get("comparisons", []):
            parity = comparison.get("parity") or {}
            verdict = (f"{parity['status']} ({parity['cases']} inputs)" if parity
                       else comparison["status"])
            rows.append(SummaryRow(
                platform=f"{platform} ({comparison['runtime']}, compared)",
                artifact=Path(comparison.get("file") or "—").name,
                size_bytes=comparison.get("size_bytes"), verdict=verdict, seconds=None,
            ))
    return tuple(rows)


def seconds_cell(row: SummaryRow) -> str:
    seconds = "—" if row.seconds is None else f"{row.seconds:.1f}"
    if row.reused:
        return "cached" if row.seconds is None else f"{seconds} (cached)"
    return seconds


def summary_table_lines(rows: tuple[SummaryRow, ...]) -> list[str]:
    """The summary as fixed-width plain text (logs, pipes)."""
    header = ("platform", "artifact", "size", "parity", "seconds")
    cells = [header] + [
        (r.platform, r.artifact, format_size(r.size_bytes), r.verdict, seconds_cell(r)) for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in cells]


def plain_lines(event: Event) -> list[str]:
    """An event as plain log lines (none for events only a live display shows)."""
    if isinstance(event, StageStarted):
        work = f" ({event.total} inputs)" if event.total is not None else ""
        return [f"{event.scope}: {event.description}{work}"]
    if isinstance(event, ScopeFinished):
        return [f"{event.scope}: {'FAILED: ' if event.status == 'failed' else ''}{event.detail}"]
    if isinstance(event, Note):
        prefix = "warning: " if event.level == "warning" else ""
        scope = f"{event.scope}: " if event.scope else ""
        return [f"{scope}{prefix}{event.text}"]
    if isinstance(event, LogLine):
        return [event.text]
    if isinstance(event, BuildFinished):
        built = "built" if event.status == "built" else "partly built"
        log = f"; log: {event.log}" if event.log is not None else ""
        return [*summary_table_lines(event.rows),
                f"{built} {event.out_dir} in {event.seconds:.1f} s (report: {event.report}{log})"]
    return []
