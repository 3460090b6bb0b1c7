"""``sdkgen init --hf DIR`` / ``--gguf FILE``: a definition from a model's own files, by a table.

A Hugging Face folder says what it is in ``config.json`` (``model_type``, ``architectures``); each
kind of model sdkgen serves registers a writer here with a predicate over that config, tried in
registration order: decoder language models (:mod:`sdkgen.llm.init`) write a ``task:
text-generation`` definition; other tasks add their own writer (text encoders, classifiers, ...).
A GGUF file always holds a decoder language model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen.errors import UsageError

# (model folder, its config.json, the definition file to write, display name or None) → YAML text
HfWriter = Callable[[Path, Mapping[str, Any], Path, str | None], str]


@dataclass(frozen=True)
class HfInit:
    name: str  # for messages
    applies: Callable[[Mapping[str, Any]], bool]
    write: HfWriter


_WRITERS: dict[str, HfInit] = {}


def register_hf_init(entry: HfInit) -> HfInit:
    if entry.name in _WRITERS:
        raise UsageError(f"init writer {entry.name!r} is registered twice")
    _WRITERS[entry.name] = entry
    return entry


def _register_builtin() -> None:
    import sdkgen.llm.init  # noqa: F401  (registration)


def read_config(folder: Path) -> dict[str, Any]:
    path = folder / "config.json"
    if not path.is_file():
        raise UsageError(f"--hf {folder}: no config.json there",
                         hint="give a Hugging Face model folder (config.json, *.safetensors, "
                         "tokenizer files)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"--hf {folder}: cannot read config.json: {error}") from None


def render_hf_init(folder: Path, out: Path, name: str | None) -> str:
    """The definition text of the first registered writer that serves ``folder``'s config."""
    _register_builtin()
    folder = folder.resolve()
    config = read_config(folder)
    for entry in _WRITERS.values():
        if entry.applies(config):
            return entry.write(folder, config, out, name)
    known = ", ".join(_WRITERS)
    raise UsageError(
        f"--hf {folder}: sdkgen has no definition writer for model_type "
        f"{config.get('model_type')!r} (architectures {config.get('architectures')})",
        hint=f"writers: {known}; for any other PyTorch model use --model package.module:function",
    )


def render_gguf_init(file: Path, out: Path, name: str | None) -> str:
    from sdkgen.llm.init import render_gguf

    return render_gguf(file.resolve(), out, name)
