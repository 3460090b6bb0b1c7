"""Running the Swift toolchain on generated trees: build, test, parse, type-check."""

from __future__ import annotations

import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SWIFT_TIMEOUT = 1800
STANDINS = Path(__file__).parent / "standins"
# The stand-in modules in dependency order: (module name, source file, modules it imports).
STANDIN_MODULES = (
    ("CoreGraphics", "CoreGraphics.swift"),
    ("ImageIO", "ImageIO.swift"),
    ("CoreVideo", "CoreVideo.swift"),
    ("VideoToolbox", "VideoToolbox.swift"),
    ("CoreML", "CoreML.swift"),
)
RESOURCE_ACCESSOR = STANDINS / "ResourceBundleAccessor.swift"
_XCTEST_SUMMARY = re.compile(
    r"Test Suite 'All tests' (passed|failed).*?\n\s*Executed (\d+) tests?, with (\d+) failures?",
    re.DOTALL,
)


@dataclass(frozen=True)
class Run:
    command: tuple[str, ...]
    returncode: int
    output: str
    seconds: float

    def describe(self) -> str:
        return f"$ {' '.join(self.command)}  ({self.seconds:.1f} s, exit {self.returncode})\n{self.output}"


@dataclass(frozen=True)
class XCTestSummary:
    passed: bool
    executed: int
    failures: int


def run(command: list[str], cwd: Path) -> Run:
    start = time.monotonic()
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=SWIFT_TIMEOUT, check=False,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    return Run(tuple(command), completed.returncode, completed.stdout + completed.stderr,
               time.monotonic() - start)


def xctest_summary(output: str) -> XCTestSummary | None:
    """The final 'All tests' line of an XCTest run on Linux."""
    matches = _XCTEST_SUMMARY.findall(output)
    if not matches:
        return None
    status, executed, failures = matches[-1]
    return XCTestSummary(status == "passed", int(executed), int(failures))


def swift_build(package: Path, scratch: Path) -> Run:
    return run(["swift", "build", "--build-tests", "--scratch-path", str(scratch)], package)


def swift_test(package: Path, scratch: Path) -> Run:
    return run(["swift", "test", "--skip-build", "--scratch-path", str(scratch)], package)


def emit_module(name: str, sources: list[Path], out: Path, cwd: Path) -> Run:
    # -enable-testing: the generated tests `@testable import` the Core ML layer, as SwiftPM allows
    return run(["swiftc", "-emit-module", "-parse-as-library", "-swift-version", "6", "-enable-testing",
                "-module-name", name, "-I", str(out),
                "-emit-module-path", str(out / f"{name}.swiftmodule"), *map(str, sources)], cwd)


def typecheck(name: str, sources: list[Path], modules: Path, cwd: Path) -> Run:
    """Type-check in the Swift 6 language mode (complete concurrency checking), warnings as errors."""
    return run(["swiftc", "-typecheck", "-parse-as-library", "-swift-version", "6",
                "-warnings-as-errors", "-module-name", name, "-I", str(modules),
                *map(str, sources)], cwd)


def build_standins(out: Path) -> list[Run]:
    out.mkdir(parents=True, exist_ok=True)
    return [emit_module(name, [STANDINS / source], out, out) for name, source in STANDIN_MODULES]


def swift_sources(directory: Path) -> list[Path]:
    """The Swift files of a target folder, its subfolders included (a text model's ``Tokenizer/``)."""
    return sorted(directory.rglob("*.swift"))
