#!/usr/bin/env bash
# Run sdkgen's test suite: set up the virtualenv and the tools that check generated code, then
# pytest on one worker per core, at most four (pytest-xdist; tests/conftest.py keeps the tests that
# share an expensive fixture on one worker). Arguments go to pytest (`-n 0`: one process). With
# SDKGEN_REQUIRE_TOOLS=1 (CI), a test that lacks a tool fails instead of skipping.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh"
for installer in "$root"/scripts/install-*-tools.sh; do
  [ -f "$installer" ] && bash "$installer"
done
cd "$root"
exec .venv/bin/python -m pytest --numprocesses auto --maxprocesses 4 "$@"
