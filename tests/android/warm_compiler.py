"""One warm Kotlin compiler per test session: K2JVMCompiler kept loaded in a JVM that compiles
request after request (``compile_server/KotlinCompileServer.java``).

A ``kotlinc`` run costs the JVM start and the compiler's warm-up (class loading, JIT) before it
reads a source: most of the time of the tests' small source sets. The server pays that once; each
compilation is still a fresh ``K2JVMCompiler`` with the same arguments, output and exit code as the
command line. When the server cannot be started or dies, :func:`compile_warm` returns ``None`` and
the caller runs the command line instead; ``SDKGEN_WARM_KOTLINC=0`` turns the server off.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

SOURCE = Path(__file__).parent / "compile_server" / "KotlinCompileServer.java"
MAIN_CLASS = "KotlinCompileServer"


class _Server:
    """The running JVM, its working folder, and the compiler jar it loaded."""

    def __init__(self, compiler_jar: Path, jvm_options: Sequence[str]) -> None:
        self.cwd = os.getcwd()
        self.classes = Path(tempfile.mkdtemp(prefix="sdkgen-kotlinc-server-"))
        compiled = subprocess.run(
            ["javac", "-nowarn", "--release", "17", "-cp", str(compiler_jar), "-d", str(self.classes),
             str(SOURCE)], capture_output=True, text=True, check=False)
        if compiled.returncode != 0:
            shutil.rmtree(self.classes, ignore_errors=True)
            raise RuntimeError(f"the compile server did not compile:\n{compiled.stderr}")
        self.process = subprocess.Popen(
            ["java", *jvm_options, "-cp", f"{compiler_jar}{os.pathsep}{self.classes}", MAIN_CLASS],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        atexit.register(self.close)

    def compile(self, arguments: Sequence[str]) -> tuple[int, str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write("\0".join(arguments).encode() + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().decode().split()
        if len(header) != 2:
            raise RuntimeError("the compile server stopped")
        code, length = int(header[0]), int(header[1])
        printed = self.process.stdout.read(length)
        if len(printed) != length:
            raise RuntimeError("the compile server stopped")
        return code, printed.decode("utf-8", errors="replace")

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.classes, ignore_errors=True)


_servers: dict[tuple[Path, tuple[str, ...]], _Server | None] = {}


def compile_warm(compiler_jar: Path, jvm_options: Sequence[str],
                 arguments: Sequence[str]) -> tuple[int, str] | None:
    """Exit code and printed output of ``kotlinc arguments`` run by the warm server, or ``None``
    when it cannot run them (no server, an argument it cannot carry, another working folder)."""
    if os.environ.get("SDKGEN_WARM_KOTLINC", "1") == "0":
        return None
    if any("\0" in argument or "\n" in argument or "\r" in argument for argument in arguments):
        return None
    key = (compiler_jar, tuple(jvm_options))
    if key not in _servers:
        try:
            _servers[key] = _Server(compiler_jar, jvm_options)
        except (OSError, RuntimeError):
            _servers[key] = None
    server = _servers[key]
    if server is None or server.cwd != os.getcwd():  # paths in messages are relative to it
        return None
    try:
        return server.compile(arguments)
    except (OSError, RuntimeError, ValueError):
        server.close()
        _servers[key] = None
        return None
