#!/usr/bin/env bash
# Run sdkgen's test suite: set up the virtualenv and the tools that check generated code, then
# pytest. Arguments go to pytest. With SDKGEN_REQUIRE_TOOLS=1 (CI), a test that lacks a tool
# fails instead of skipping.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/setup.sh"
for installer in "$root"/scripts/install-*-tools.sh; do
  [ -f "$installer" ] && bash "$installer"
done
cd "$root"
exec .venv/bin/python -m pytest "$@"
