"""What the terminal shows: build events, their renderers, and the capture of third-party output."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from sdkgen.output_capture import captured_output, quiet_output, redirect_descriptors
from sdkgen.progress import (
    MODEL_SCOPE,
    BuildFinished,
    BuildStarted,
    Reporter,
    SummaryRow,
    as_reporter,
    summary_rows,
)
from sdkgen.terminal import LiveRenderer, PlainRenderer, SilentRenderer, build_display

REPO = Path(__file__).resolve().parents[1]


def _identity(fd: int) -> tuple[int, int]:
    status = os.fstat(fd)
    return status.st_dev, status.st_ino


def test_descriptors_are_restored_when_the_block_raises(tmp_path: Path) -> None:
    before = {fd: _identity(fd) for fd in (1, 2)}
    target = os.open(tmp_path / "out.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        with pytest.raises(RuntimeError, match="inside"), redirect_descriptors(target):
            assert _identity(1) == _identity(2) == _identity(target)
            os.write(1, b"native stdout\n")
            os.write(2, b"native stderr\n")
            raise RuntimeError("inside")
    finally:
        os.close(target)
    assert {fd: _identity(fd) for fd in (1, 2)} == before
    assert (tmp_path / "out.log").read_text() == "native stdout\nnative stderr\n"


def test_capture_takes_native_python_logging_and_warnings(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    followed: list[str] = []
    before_handlers = list(logging.getLogger().handlers)
    stdout, stderr = sys.stdout, sys.stderr
    with captured_output(log, follow=followed.append):
        os.write(2, b"[cpuinfo_utils.cpp:71] native line\n")
        print("python stdout line")
        logging.getLogger("coremltools").warning("Failed to load _MLModelProxy: test")
        logging.getLogger("coremltools").info("below the level: not kept")
        warnings.warn("a library warning", UserWarning, stacklevel=1)
    text = log.read_text()
    for line in ("[cpuinfo_utils.cpp:71] native line", "python stdout line",
                 "WARNING coremltools [MainProcess]: Failed to load _MLModelProxy: test",
                 "WARNING py.warnings [MainProcess]: ", "UserWarning: a library warning"):
        assert line in text
    assert "below the level" not in text
    assert "[cpuinfo_utils.cpp:71] native line" in followed  # --verbose sees it live
    assert logging.getLogger().handlers == before_handlers
    assert (sys.stdout, sys.stderr) == (stdout, stderr)


def test_quiet_output_replays_what_was_captured_when_the_command_fails() -> None:
    replay = io.StringIO()
    with pytest.raises(ValueError), quiet_output(replay_to=replay):
        os.write(2, b"why it failed\n")
        raise ValueError("boom")
    assert replay.getvalue() == "why it failed\n"
    replay = io.StringIO()
    with quiet_output(replay_to=replay):
        os.write(1, b"noise\n")
    assert replay.getvalue() == ""


def _run_events(reporter: Reporter, out: Path) -> None:
    reporter.emit(BuildStarted("Digit Classifier", (MODEL_SCOPE, "android", "ios"), out,
                               out.with_name("d.build.log")))
    with reporter.stage(MODEL_SCOPE, "load", "loading the model"):
        pass
    with reporter.stage("android", "verify", "verifying d.pte", total=3) as advance:
        for done in (1, 2, 3):
            advance(done)
    reporter("ios: exporting with coremltools")  # a plain string of an older stage
    reporter.warning("float16 may overflow", scope="ios")
    reporter.finished("android", "built d.pte")
    reporter.failed("ios", "export failed\n  hint: details")
    reporter.failed("ios", "reported twice")
    reporter.emit(BuildFinished(out, out / "report.md", out.with_name("d.build.log"), (
        SummaryRow("android", "d.pte", 54_321, "passed (8 inputs)", 1.25),
        SummaryRow("ios", "D.mlpackage", None, "FAILED (export)", None),
    ), 3.5, status="partial"))


def test_plain_lines_one_per_step(tmp_path: Path) -> None:
    stream = io.StringIO()
    _run_events(Reporter(PlainRenderer(stream)), tmp_path / "d")
    lines = [line.split("] ", 1)[1] for line in stream.getvalue().splitlines()
             if line.startswith("sdkgen [")]
    assert lines[:2] == [f"building Digit Classifier for android, ios (log: {tmp_path / 'd.build.log'})",
                         "model: loading the model"]
    assert "android: verifying d.pte (3 inputs)" in lines
    assert "ios: exporting with coremltools" in lines
    assert "ios: warning: float16 may overflow" in lines
    assert "ios: FAILED: export failed" in lines and "ios: FAILED: reported twice" not in lines
    table = [line for line in lines if line.startswith(("platform", "android ", "ios "))]
    assert table[0].split() == ["platform", "artifact", "size", "parity", "seconds"]
    assert table[1].split() == ["android", "d.pte", "54.3", "kB", "passed", "(8", "inputs)", "1.2"]
    assert lines[-1].startswith(f"partly built {tmp_path / 'd'} in 3.5 s")
    assert "\x1b[" not in stream.getvalue()


def test_live_display_rows_bar_and_summary(tmp_path: Path) -> None:
    from rich.console import Console

    stream = io.StringIO()
    console = Console(file=stream, force_terminal=True, width=110, color_system=None)
    renderer = LiveRenderer(stream, console=console)
    reporter = Reporter(renderer)
    reporter.emit(BuildStarted("Digit Classifier", (MODEL_SCOPE, "android", "ios"), tmp_path,
                               None))
    with reporter.stage("android", "verify", "verifying d.pte", total=8) as advance:
        advance(3)
        frame = Console(width=110, color_system=None, file=io.StringIO())
        frame.print(renderer._render())
        shown = frame.file.getvalue()  # type: ignore[attr-defined]
        assert "android" in shown and "verifying d.pte" in shown and "3/8" in shown
        assert "ios" in shown and "waiting" in shown
    reporter.emit(BuildFinished(tmp_path, tmp_path / "report.md", None, (
        SummaryRow("android", "d.pte", 54_321, "passed (8 inputs)", 1.25),), 2.0))
    renderer.close()
    output = stream.getvalue()
    assert "passed (8 inputs)" in output and "54.3 kB" in output
    assert f"built {tmp_path} in 2.0 s" in output


def test_quiet_shows_nothing(tmp_path: Path) -> None:
    stream = io.StringIO()
    with build_display(quiet=True, stream=stream) as reporter:
        _run_events(reporter, tmp_path / "d")
    assert stream.getvalue() == ""
    assert isinstance(reporter._sink, SilentRenderer)


def test_not_a_terminal_means_plain_lines(tmp_path: Path) -> None:
    stream = io.StringIO()
    with build_display(stream=stream) as reporter:
        reporter("a note")
    assert stream.getvalue().endswith("] a note\n")


def test_verbose_shows_the_log_as_it_is_written(tmp_path: Path) -> None:
    stream = io.StringIO()
    with build_display(verbose=True, stream=stream) as reporter:
        assert reporter.wants_log
        with captured_output(tmp_path / "b.log", follow=reporter.log_line):
            os.write(2, b"[cpuinfo_utils.cpp:71] native line\n")
    assert "  | [cpuinfo_utils.cpp:71] native line\n" in stream.getvalue()
    with build_display(stream=(quiet := io.StringIO())) as reporter:
        reporter.log_line("not shown without --verbose")
    assert quiet.getvalue() == ""


def test_a_callable_gets_lines() -> None:
    lines: list[str] = []
    reporter = as_reporter(lines.append)
    with reporter.stage("android", "export", "exporting with executorch"):
        pass
    assert lines == ["android: exporting with executorch"]


def test_summary_rows_from_a_report_document() -> None:
    document = {"platforms": [
        {"platform": "android", "status": "built",
         "artifact": {"file": "artifacts/d.pte", "size_bytes": 1000},
         "parity": {"status": "passed", "cases": 8, "reason": "8 inputs compared"},
         "comparisons": [{"runtime": "litert", "status": "verified", "file": "artifacts/compare/d.tflite",
                          "size_bytes": 900, "parity": {"status": "passed", "cases": 8}}]},
        {"platform": "ios", "status": "built",
         "artifact": {"file": "artifacts/D.mlpackage", "size_bytes": 2000},
         "parity": {"status": "skipped", "cases": 0,
                    "reason": "Core ML prediction runs only on macOS (this host: Linux)"},
         "spec_check": {"status": "passed"}},
    ]}
    rows = summary_rows(document, {"android": 3.0, "ios": 2.0}.get, ("export.android",))
    assert [(r.platform, r.artifact, r.verdict, r.seconds, r.reused) for r in rows] == [
        ("android", "d.pte", "passed (8 inputs)", 3.0, True),
        ("android (litert, compared)", "d.tflite", "passed (8 inputs)", None, False),
        ("ios", "D.mlpackage", "spec passed; numeric skipped (not macOS)", 2.0, False),
    ]


# What a person must never see on the terminal (issue 9, §3): library chatter and native prints.
NOISE = ("_MLModelProxy", "libcoremlpython", "cpuinfo_utils", "scikit-learn version",
         "has not been tested with coremltools", "torchao", "Traceback")


def _sdkgen(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SDKGEN_BUILD_CACHE": str(cache), "PYTHONPATH": str(REPO)}
    environment.pop("TERM", None)
    return subprocess.run([sys.executable, "-m", "sdkgen", *args], capture_output=True, text=True,
                          env=environment, timeout=900, check=False)


def test_a_piped_build_prints_plain_steps_and_keeps_library_output_in_its_log(
        tmp_path: Path) -> None:
    out = tmp_path / "digits"
    cache = tmp_path / "cache"
    run = _sdkgen("build", "--example", "digits", "--out", str(out), "--json", cache=cache)
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)  # one document: no native line reached stdout
    assert document["status"] == "ok" and document["build_log"] == str(tmp_path / "digits.build.log")
    lines = run.stderr.splitlines()
    assert lines and all(line.startswith("sdkgen [") or line.startswith(("platform", "android",
                                                                          "ios", "─"))
                         for line in lines), run.stderr
    steps = [line.split("] ", 1)[1] for line in lines if line.startswith("sdkgen [")]
    for step in ("model: loading the model (sdkgen.examples.digits.model:build_model)",
                 "android: verifying digit_classifier.pte (", "ios: built DigitClassifier.mlpackage",
                 "android: built digit_classifier.pte"):
        assert any(s.startswith(step) for s in steps), (step, steps)
    assert not [noise for noise in NOISE if noise in run.stderr], run.stderr
    assert "\x1b[" not in run.stderr
    log = (tmp_path / "digits.build.log").read_text()
    assert "[sdkgen-export-android] started" in log
    captured = [noise for noise in NOISE if noise in log]
    assert captured, log  # what used to reach the terminal is in the log

    again = _sdkgen("build", "--example", "digits", "--out", str(out), "--force", "--quiet",
                    cache=cache)
    assert again.returncode == 0 and again.stdout == "" and again.stderr == ""
    failed = _sdkgen("build", "--example", "digits", "--out", str(out), "--quiet", cache=cache)
    assert failed.returncode == 8 and failed.stdout == ""
    assert failed.stderr.startswith(f"error: {out} already exists")
