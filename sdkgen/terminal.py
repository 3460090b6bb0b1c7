"""Renderers of build events (:mod:`sdkgen.progress`): what the person running sdkgen sees.

- On a terminal: a live display (``rich``) with one row per scope (the model's shared stages, then
  each platform: they run side by side), the current stage, a bar where the amount of work is known
  and the elapsed time; it ends with a summary table (artifact, size, parity verdict, seconds).
- Elsewhere (CI, pipes, ``TERM=dumb``): plain lines, one per step, with the time since the start.
- ``--quiet``: nothing (errors are printed by the command line, after the build).
- ``--verbose``: either of the first two, plus the build log's lines as they are written.

Everything is written to :func:`terminal_stream`, a stream opened before the build redirects
descriptors 1 and 2 into its log, so sdkgen's lines still reach the terminal.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from sdkgen.interrupts import interrupts_kept
from sdkgen.progress import (
    BuildFinished,
    BuildStarted,
    Event,
    LogLine,
    Note,
    Reporter,
    ScopeFinished,
    StageFinished,
    StageStarted,
    WorkAdvanced,
    format_size,
    plain_lines,
    seconds_cell,
)


def terminal_stream() -> TextIO:
    """Standard error as it is now, still writable while a build's log holds descriptor 2.

    A stream backed by a descriptor is duplicated (the duplicate keeps pointing at the terminal);
    one that is not (a test runner's buffer) is not touched by descriptor redirection: used as is.
    """
    stream = sys.stderr
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream
    return os.fdopen(os.dup(fd), "w", buffering=1, encoding=getattr(stream, "encoding", None)
                     or "utf-8", errors="replace")


class PlainRenderer:
    """One line per step, each with the seconds since the build started."""

    def __init__(self, stream: TextIO, *, show_log: bool = False) -> None:
        self._stream = stream
        self._show_log = show_log
        self._start = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        if isinstance(event, BuildStarted):
            self._start = event.at
            log = f" (log: {event.log})" if event.log is not None else ""
            self._write(f"building {event.name} for {', '.join(event.scopes[1:])}{log}", event.at)
            return
        if isinstance(event, LogLine):
            if self._show_log:
                with self._lock:
                    self._stream.write(f"  | {event.text}\n")
            return
        for line in plain_lines(event):
            self._write(line, getattr(event, "at", time.monotonic()))

    def _write(self, line: str, at: float) -> None:
        with self._lock:
            self._stream.write(f"sdkgen [{at - self._start:6.1f}s] {line}\n")
            self._stream.flush()

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._stream.flush()


@dataclass
class _Row:
    scope: str
    description: str = "waiting"
    state: str = "waiting"  # waiting | running | idle | done | failed
    started: float | None = None
    ended: float | None = None
    stage_started: float | None = None
    work: tuple[int, int] | None = None  # (completed, total)


@dataclass
class _Display:
    name: str = ""
    start: float = field(default_factory=time.monotonic)
    ended: float | None = None
    rows: dict[str, _Row] = field(default_factory=dict)

    def row(self, scope: str) -> _Row:
        return self.rows.setdefault(scope, _Row(scope))


_MARKS = {"waiting": ("·", "dim"), "idle": ("·", "cyan"), "done": ("✓", "green"),
          "failed": ("✗", "bold red"), "stopped": ("–", "dim")}


class LiveRenderer:
    """A ``rich`` live display of the build's scopes, then a summary table."""

    def __init__(self, stream: TextIO, *, show_log: bool = False, console: Any = None) -> None:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        self.console = console if console is not None else Console(file=stream, highlight=False)
        self._show_log = show_log
        self._display = _Display()
        self._lock = threading.Lock()
        self._spinner = Spinner("dots", style="cyan")
        self._live = Live(get_renderable=self._render, console=self.console, refresh_per_second=8,
                          transient=False, redirect_stdout=False, redirect_stderr=False)
        self._started = False

    def _render(self) -> Any:
        now = time.monotonic()
        with self._lock:
            return self._render_rows(now)

    def _render_rows(self, now: float) -> Any:
        from rich.console import Group
        from rich.progress_bar import ProgressBar
        from rich.table import Table
        from rich.text import Text

        display = self._display
        rows = list(display.rows.values())
        table = Table.grid(padding=(0, 1))
        for _ in range(5):
            table.add_column()
        for row in rows:
            if row.state == "running":
                mark: Any = self._spinner.render(now)
            else:
                symbol, style = _MARKS[row.state]
                mark = Text(symbol, style=style)
            bar: Any = Text("")
            if row.work is not None and row.state == "running":
                completed, total = row.work
                bar = Table.grid(padding=(0, 1))
                bar.add_row(ProgressBar(total=total, completed=completed, width=24),
                            Text(f"{completed}/{total}"))
            elapsed = ""
            if row.started is not None:
                elapsed = f"{(row.ended or now) - row.started:6.1f}s"
            style = "dim" if row.state == "waiting" else ""
            table.add_row(mark, Text(row.scope, style="bold"), Text(row.description, style=style),
                          bar, Text(elapsed, style="dim"))
        verb = "building" if display.ended is None else "built"
        header = Text.assemble(("sdkgen ", "bold"), f"{verb} {display.name}  ",
                               (f"{(display.ended or now) - display.start:.1f}s", "dim"))
        return Group(header, table)

    def __call__(self, event: Event) -> None:
        if isinstance(event, BuildStarted):
            with self._lock:
                self._display = _Display(name=event.name, start=event.at)
                for scope in event.scopes:
                    self._display.row(scope)
            if not self._started:
                self._live.start()
                self._started = True
            return
        if isinstance(event, BuildFinished):
            with self._lock:
                self._display.ended = event.at
            self._stop()
            self._summary(event)
            return
        if isinstance(event, LogLine):
            if self._show_log:
                from rich.text import Text

                self.console.print(Text(event.text, style="dim"), soft_wrap=True)
            return
        if isinstance(event, Note) and (
                event.scope is None or event.level == "warning"
                or self._display.row(event.scope).state in ("done", "failed")):
            self._print_note(event)
            return
        with self._lock:
            self._update(event)

    def _update(self, event: Event) -> None:
        scope = getattr(event, "scope", None)
        if scope is None:
            return
        row = self._display.row(scope)
        if isinstance(event, StageStarted):
            row.started = row.started if row.started is not None else event.at
            row.state, row.description, row.stage_started = "running", event.description, event.at
            row.work = (0, event.total) if event.total is not None else None
        elif isinstance(event, WorkAdvanced):
            row.work = (event.completed, event.total)
        elif isinstance(event, StageFinished):
            row.state, row.work = "idle", None
            row.description = f"{row.description}: done"
        elif isinstance(event, ScopeFinished):
            row.state, row.description, row.ended, row.work = event.status, event.detail, event.at, None
            row.started = row.started if row.started is not None else event.at
        elif isinstance(event, Note):
            row.description = event.text
            if row.state in ("waiting", "idle"):
                row.state = "running"
                row.started = row.started if row.started is not None else event.at

    def _print_note(self, event: Note) -> None:
        from rich.text import Text

        scope = f"{event.scope}: " if event.scope else ""
        if event.level == "warning":
            self.console.print(Text.assemble((f"{scope}warning: ", "bold yellow"), event.text))
        else:
            self.console.print(Text(f"{scope}{event.text}"))

    def _summary(self, event: BuildFinished) -> None:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for column, justify in (("platform", "left"), ("artifact", "left"), ("size", "right"),
                                ("parity", "left"), ("seconds", "right")):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for row in event.rows:
            verdict_style = ("green" if row.verdict.startswith(("passed", "spec passed"))
                             else "red" if "FAILED" in row.verdict or row.verdict.startswith("failed")
                             else "yellow")
            table.add_row(row.platform, row.artifact, format_size(row.size_bytes),
                          Text(row.verdict, style=verdict_style), seconds_cell(row))
        self.console.print()
        self.console.print(table)
        built = "built" if event.status == "built" else "partly built"
        self.console.print(Text.assemble(
            (f"{built} ", "bold green" if event.status == "built" else "bold yellow"),
            str(event.out_dir), f" in {event.seconds:.1f} s"))
        self.console.print(Text(f"report: {event.report}", style="dim"))
        if event.log is not None:
            self.console.print(Text(f"log:    {event.log}", style="dim"))

    def _stop(self) -> None:
        if self._started:
            self._live.stop()
            self._started = False

    def close(self) -> None:
        """End the display; scopes still running (the build stopped on an error) say so."""
        with self._lock:
            for row in self._display.rows.values():
                if row.state in ("running", "idle", "waiting"):
                    row.state, row.work = "stopped", None
                    row.ended = time.monotonic() if row.started is not None else None
                    row.description = f"stopped ({row.description})" if row.started else "not run"
        self._stop()


class SilentRenderer:
    """``--quiet``: errors only, and those are printed by the command line."""

    def __call__(self, event: Event) -> None:
        return None

    def close(self) -> None:
        return None


def _is_live_terminal(stream: TextIO) -> bool:
    try:
        interactive = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return interactive and os.environ.get("TERM", "") != "dumb"


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM (``timeout``, a CI runner) ends the command through ``finally`` blocks, like Ctrl-C:
    the display stops and shows the cursor again, descriptors are restored, the build's staging
    folder is removed. Only in the main thread, and the previous handler is put back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_on_terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, exit_on_terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def build_display(*, verbose: bool = False, quiet: bool = False,
                  stream: TextIO | None = None) -> Iterator[Reporter]:
    """A :class:`Reporter` wired to the renderer the terminal and the flags call for; the display
    stops when the block ends, also on an error (which the caller then prints)."""
    target = stream if stream is not None else terminal_stream()
    renderer: PlainRenderer | LiveRenderer | SilentRenderer
    if quiet:
        renderer = SilentRenderer()
    elif _is_live_terminal(target):
        renderer = LiveRenderer(target, show_log=verbose)
    else:
        renderer = PlainRenderer(target, show_log=verbose)
    try:
        with _terminate_as_exit(), interrupts_kept():
            yield Reporter(renderer, wants_log=verbose)
    finally:
        renderer.close()
        if target is not sys.stderr and stream is None:
            with contextlib.suppress(Exception):
                target.close()
