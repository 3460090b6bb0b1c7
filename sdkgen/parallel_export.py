"""Exports in a separate process, so two platforms' exports run side by side.

Each platform's export is mostly single-threaded Python (graph capture, partitioning, lowering), so
on a machine with two or more cores the Android export can run in a child process while the parent
loads the model, computes the golden vectors and exports for iOS. The child is started with
``spawn`` (a fresh interpreter: no state forked from a parent that has started threads), loads the
definition and the model itself, exports to the path it is given and sends the
:class:`~sdkgen.export.base.ExportResult` back, or the error it raised (same class, message and
hint). Its own output (library logs, native prints) goes to a log file, not to the terminal. The
artifact is the same file an in-process export writes, byte for byte.

The child is on the build's critical path (its import of torch and ExecuTorch and the lowering take
longer than everything the parent does meanwhile), so it is started before the parent imports
torch, and it ends without the interpreter's teardown once its result is sent
(:mod:`sdkgen.process_exit`): unloading torch and ExecuTorch took seconds (12 s under load) that the
parent spent waiting in ``join``. The parent reads the result as soon as it is sent and joins the
process only when the build is done.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sdkgen import errors
from sdkgen.codegen.context import SdkContext
from sdkgen.errors import ExportError, SdkgenError
from sdkgen.export.base import ExportResult
from sdkgen.process_exit import exit_without_teardown

_POLL_SECONDS = 0.2


def _redirect_output(log_path: Path) -> None:
    """Append this process's output to the build log the parent writes too (both ``O_APPEND``)."""
    import logging

    from sdkgen.output_capture import LOG_FORMAT

    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format=LOG_FORMAT, force=True)
    name = multiprocessing.current_process().name
    print(f"[{name}] started; its output follows, among the main process's", file=sys.stderr,
          flush=True)


def _child(connection: Connection, spec_path: str, platform: str, plan: SdkContext,
           artifact_path: str, provenance: dict[str, str], log_path: str, threads: int) -> None:
    """The child process: load, export, send the result (or the error) back."""
    _redirect_output(Path(log_path))
    try:
        import torch

        torch.set_num_threads(threads)
        from sdkgen import loading
        from sdkgen.export.base import ExportRequest, shipped_backend
        from sdkgen.spec import load_spec

        loaded = load_spec(Path(spec_path))
        request = ExportRequest(
            loaded=loaded, plan=plan, model=loading.load_model(loaded),
            artifact_path=Path(artifact_path), provenance=provenance,
        )
        connection.send(("ok", shipped_backend(plan, platform).export(request)))
    except SdkgenError as error:
        connection.send(("error", type(error).__name__, error.message, error.hint))
    except BaseException as error:  # anything else still reaches the parent, named
        connection.send(("error", "ExportError",
                         f"the {platform} export process failed: {type(error).__name__}: {error}",
                         "rerun with --traceback for the full error"))
    finally:
        connection.close()
    # everything the parent needs was sent: no seconds spent unloading torch and ExecuTorch
    exit_without_teardown(0)


def _rebuild_error(class_name: str, message: str, hint: str | None) -> SdkgenError:
    cls = getattr(errors, class_name, ExportError)
    if not (isinstance(cls, type) and issubclass(cls, SdkgenError)):
        cls = ExportError
    error = cls.__new__(cls)
    SdkgenError.__init__(error, message, hint=hint)
    return error


@dataclass
class ChildExport:
    """An export running in a child process; :meth:`result` waits for it."""

    platform: str
    process: Any  # multiprocessing.context.SpawnProcess
    connection: Connection
    log_path: Path
    started: float = field(default_factory=time.monotonic)  # when the export process started

    def _died(self) -> ExportError:
        self.process.join()
        return ExportError(
            f"the {self.platform} export process ended without a result (exit code "
            f"{self.process.exitcode}); its output is in {self.log_path}",
            hint="it may have run out of memory; rerun with --platform "
            f"{self.platform} to export in one process",
        )

    def result(self) -> ExportResult:
        """The export's result, or its error raised here."""
        while not self.connection.poll(_POLL_SECONDS):
            if not self.process.is_alive() and not self.connection.poll():
                raise self._died()
        try:
            message = self.connection.recv()
        except EOFError:
            raise self._died() from None
        # not joined here: the process ends on its own right after sending (see _child); cancel()
        # joins it when the build is done
        if message[0] == "ok":
            return message[1]
        raise _rebuild_error(*message[1:])

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed or was interrupted), and join it."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        with contextlib.suppress(OSError):
            self.connection.close()


def start_export(spec_path: Path, platform: str, plan: SdkContext, artifact_path: Path,
                 provenance: dict[str, str], log_path: Path) -> ChildExport:
    """Start exporting ``platform`` in a child process."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, name=f"sdkgen-export-{platform}", daemon=True,
        args=(sender, str(spec_path), platform, plan, str(artifact_path), provenance,
              str(log_path), threads_per_process(2)),
    )
    process.start()
    sender.close()
    return ChildExport(platform, process, receiver, log_path)


def threads_per_process(process_count: int) -> int:
    """torch's intra-op threads for each of ``process_count`` processes sharing the cores.

    Two processes that each start one thread per core oversubscribe the machine, and torch's
    OpenMP workers then spin against each other (measured on 2 cores: the parent's golden stage
    took 14 s beside the export child instead of 3 s alone). The outputs do not depend on it: the
    artifacts are deterministic and the golden reference runs in float64.
    """
    return max(1, (os.cpu_count() or 1) // process_count)


@contextlib.contextmanager
def shared_cores(process_count: int) -> Iterator[None]:
    """Limit this process's torch threads to its share of the cores, restored afterwards."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(threads_per_process(process_count))
    try:
        yield
    finally:
        torch.set_num_threads(before)


def worth_parallel(platform_count: int) -> bool:
    """Side by side only pays with two platforms to export and two cores to run them on."""
    return platform_count > 1 and (os.cpu_count() or 1) > 1
