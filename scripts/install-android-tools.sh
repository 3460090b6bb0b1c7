#!/usr/bin/env bash
# Installs the tools the Android checks use (tests/android): JUnit 4 + hamcrest, aapt2 and the
# platform's framework-res.apk from Debian, and shows where the Kotlin compiler jar is (it ships in
# the PyPI package kotlin-jupyter-kernel, a dev dependency). Idempotent and non-interactive.
# The Python that has kotlin-jupyter-kernel: $PYTHON, else the repository's .venv, else python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -z "${PYTHON:-}" ]; then
    if [ -x "$root/.venv/bin/python" ]; then PYTHON="$root/.venv/bin/python"; else PYTHON=python3; fi
fi
PACKAGES=(junit4 aapt android-framework-res default-jdk-headless)

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
# a JDK installed outside Debian packages is fine: only ask for one when java/javac are missing
if command -v java >/dev/null && command -v javac >/dev/null; then
    missing=("${missing[@]/default-jdk-headless}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if ((${#missing[@]})); then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for tool in aapt2 java javac; do
    command -v "$tool" >/dev/null || { echo "error: $tool is still missing" >&2; exit 1; }
done
for file in /usr/share/java/junit4.jar /usr/share/java/hamcrest-core.jar \
            /usr/share/android-framework-res/framework-res.apk; do
    [ -f "$file" ] || { echo "error: $file is still missing" >&2; exit 1; }
done

"$PYTHON" - <<'PY'
import importlib.util
import sys
import zipfile
from pathlib import Path

spec = importlib.util.find_spec("run_kotlin_kernel")
if spec is None or not spec.submodule_search_locations:
    sys.exit("error: kotlin-jupyter-kernel is not installed in this Python (pip install -e '.[dev]')")
jars = Path(next(iter(spec.submodule_search_locations))) / "jars"
for jar in sorted(jars.glob("*.jar")):
    with zipfile.ZipFile(jar) as archive:
        if "org/jetbrains/kotlin/cli/jvm/K2JVMCompiler.class" in archive.namelist():
            version = archive.read("META-INF/compiler.version").decode().strip()
            print(f"kotlin compiler {version}: {jar}")
            break
else:
    sys.exit(f"error: no jar in {jars} holds org.jetbrains.kotlin.cli.jvm.K2JVMCompiler")
PY
echo "aapt2: $(command -v aapt2) ($(aapt2 version 2>&1))"
echo "junit: /usr/share/java/junit4.jar"
