"""The JVM tools the Android checks run: a real Kotlin compiler, javac, JUnit 4 and aapt2.

The Kotlin compiler is the one shipped inside the PyPI package ``kotlin-jupyter-kernel`` (a jar
holding ``org.jetbrains.kotlin.cli.jvm.K2JVMCompiler``); JUnit 4, hamcrest and aapt2 come from
Debian (``scripts/install-android-tools.sh``). Each locator returns ``None`` when the tool is
missing, so tests can skip (or fail under ``SDKGEN_REQUIRE_TOOLS=1``) with a clear reason.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from android.warm_compiler import compile_warm

KOTLINC_JVM_OPTIONS = ("-Xss8m",)
COMPILER_CLASS = "org/jetbrains/kotlin/cli/jvm/K2JVMCompiler.class"
JUNIT_JARS = (Path("/usr/share/java/junit4.jar"), Path("/usr/share/java/hamcrest-core.jar"))
FRAMEWORK_RES_CANDIDATES = (Path("/usr/share/android-framework-res/framework-res.apk"),)

_DIAGNOSTIC = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): "
    r"(?:\[(?P<kind>[A-Z_]+)\] )?(?P<message>.*)$"
)
_GLOBAL = re.compile(r"^(?P<severity>error|warning): (?P<message>.*)$")


@dataclass(frozen=True)
class KotlinToolchain:
    compiler_jar: Path  # the jar that holds K2JVMCompiler
    stdlib_jar: Path
    script_runtime_jar: Path  # default script definition, for .kts syntax checks


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    kind: str  # internal diagnostic name, e.g. "SYNTAX", "UNRESOLVED_REFERENCE" ("" if none)
    file: str  # "" for diagnostics not tied to a file
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        return f"{where}{self.severity}: [{self.kind}] {self.message}"


@dataclass(frozen=True)
class Compilation:
    diagnostics: tuple[Diagnostic, ...]
    returncode: int
    output: str
    seconds: float

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def _jars_directory() -> Path | None:
    spec = importlib.util.find_spec("run_kotlin_kernel")
    if spec is None or not spec.submodule_search_locations:
        return None
    directory = Path(next(iter(spec.submodule_search_locations))) / "jars"
    return directory if directory.is_dir() else None


def _holds_compiler(jar: Path) -> bool:
    try:
        with zipfile.ZipFile(jar) as archive:
            archive.getinfo(COMPILER_CLASS)
    except (KeyError, zipfile.BadZipFile):
        return False
    return True


def find_kotlin() -> KotlinToolchain | None:
    """The Kotlin compiler inside the installed ``kotlin-jupyter-kernel`` package, if any."""
    directory = _jars_directory()
    if directory is None or shutil.which("java") is None:
        return None
    jars = sorted(directory.glob("*.jar"))
    compiler = next((jar for jar in sorted(jars, key=lambda j: -j.stat().st_size)
                     if _holds_compiler(jar)), None)
    stdlib = next((jar for jar in jars if jar.name.startswith("kotlin-stdlib-")), None)
    script = next((jar for jar in jars if jar.name.startswith("kotlin-script-runtime-")), None)
    if compiler is None or stdlib is None or script is None:
        return None
    return KotlinToolchain(compiler_jar=compiler, stdlib_jar=stdlib, script_runtime_jar=script)


def junit_classpath() -> list[Path] | None:
    return list(JUNIT_JARS) if all(jar.is_file() for jar in JUNIT_JARS) else None


def framework_res() -> Path | None:
    return next((apk for apk in FRAMEWORK_RES_CANDIDATES if apk.is_file()), None)


def parse_diagnostics(output: str) -> tuple[Diagnostic, ...]:
    diagnostics = []
    for line in output.splitlines():
        located = _DIAGNOSTIC.match(line)
        if located:
            diagnostics.append(Diagnostic(
                severity=located["severity"], kind=located["kind"] or "", file=located["file"],
                line=int(located["line"]), message=located["message"],
            ))
            continue
        unlocated = _GLOBAL.match(line)
        if unlocated:
            diagnostics.append(Diagnostic(unlocated["severity"], "", "", 0, unlocated["message"]))
    return tuple(diagnostics)


def _classpath(entries: Iterable[Path]) -> str:
    return ":".join(str(entry) for entry in entries)


Completed = subprocess.CompletedProcess[str]


def _timed_run(command: Sequence[str]) -> tuple[Completed, float]:
    start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result, time.monotonic() - start


def kotlinc(
    kotlin: KotlinToolchain,
    sources: Sequence[Path],
    *,
    classpath: Sequence[Path],
    out: Path,
    extra: Sequence[str] = (),
) -> Compilation:
    """Compile ``sources`` (``.kt``, and ``.java`` for reference) into ``out`` with K2JVMCompiler:
    by the session's warm compiler (:mod:`android.warm_compiler`), else by the command line."""
    arguments = [
        "-no-stdlib", "-no-reflect", "-jvm-target", "17", "-Xrender-internal-diagnostic-names",
        "-cp", _classpath([kotlin.stdlib_jar, *classpath]), "-d", str(out), *extra,
        *(str(source) for source in sources),
    ]
    start = time.monotonic()
    warm = compile_warm(kotlin.compiler_jar, KOTLINC_JVM_OPTIONS, arguments)
    if warm is not None:
        returncode, output = warm
        return Compilation(parse_diagnostics(output), returncode, output, time.monotonic() - start)
    command = ["java", *KOTLINC_JVM_OPTIONS, "-cp", str(kotlin.compiler_jar),
               "org.jetbrains.kotlin.cli.jvm.K2JVMCompiler", *arguments]
    result, seconds = _timed_run(command)
    output = result.stdout + result.stderr
    return Compilation(parse_diagnostics(output), result.returncode, output, seconds)


def javac(sources: Sequence[Path], *, classpath: Sequence[Path], out: Path) -> Completed:
    command = ["javac", "-nowarn", "-encoding", "UTF-8", "--release", "17", "-d", str(out)]
    if classpath:
        command += ["-cp", _classpath(classpath)]
    return subprocess.run([*command, *(str(s) for s in sources)], capture_output=True, text=True,
                          check=False)


def java(main_class: str, args: Sequence[str], *, classpath: Sequence[Path]) -> Completed:
    command = ["java", "-Dfile.encoding=UTF-8", "-cp", _classpath(classpath), main_class, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False)
