"""``sdkgen init --hf DIR``: a local Hugging Face model folder → a definition that builds as is.

The folder's ``config.json`` picks a *family* (sentence embedding, sequence classification, and
whatever other modules register: text generation, ...). Each family is one module under
:mod:`sdkgen.hf_init` that registers an :class:`HfFamily`; :func:`family_for` tries them in
registration order (``FAMILY_MODULES``), so adding a family is one module and one line here.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.errors import SdkgenError, UsageError

# modules that register families, imported in this order (the first family that applies wins)
FAMILY_MODULES: tuple[str, ...] = ("sdkgen.hf_init.text_encoder", "sdkgen.hf_init.text_generation")


@dataclass(frozen=True)
class HfFolder:
    """A local Hugging Face model folder and what its JSON files say."""

    path: Path  # absolute
    config: dict[str, Any]  # config.json

    def json(self, relative: str) -> dict[str, Any] | list[Any] | None:
        """Another JSON file of the folder (``modules.json``, ``1_Pooling/config.json``), or None."""
        file = self.path / relative
        if not file.is_file():
            return None
        try:
            return json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"--hf: {file} is not valid JSON: {error}") from None

    @property
    def architectures(self) -> tuple[str, ...]:
        names = self.config.get("architectures") or ()
        return tuple(str(name) for name in names)


@dataclass(frozen=True)
class InitRequest:
    """What ``sdkgen init --hf`` was asked for."""

    folder: HfFolder
    out: Path  # the definition to write (absolute)
    name: str | None  # display name, or None for one derived from the folder
    max_length: int  # tokens per text input


@dataclass(frozen=True)
class InitFiles:
    """The definition and the files it names, by path relative to the definition's folder."""

    definition: str
    files: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)  # for --json: task, pooling, labels, ...


@dataclass(frozen=True)
class HfFamily:
    name: str  # e.g. "sentence_embedding"
    applies: Callable[[HfFolder], bool]
    write: Callable[[InitRequest], InitFiles]


_FAMILIES: dict[str, HfFamily] = {}


def register_family(family: HfFamily) -> HfFamily:
    if family.name in _FAMILIES:
        raise SdkgenError(f"Hugging Face family {family.name!r} is registered twice")
    _FAMILIES[family.name] = family
    return family


def read_folder(path: Path) -> HfFolder:
    folder = path.resolve()
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise UsageError(f"--hf {path}: no config.json in that folder",
                         hint="give a folder saved with save_pretrained (config.json, weights, "
                         "tokenizer.json)")
    try:
        config = json.loads(config_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"--hf: {config_file} is not valid JSON: {error}") from None
    if not isinstance(config, dict):
        raise UsageError(f"--hf: {config_file} does not hold a JSON object")
    return HfFolder(path=folder, config=config)


def families() -> tuple[HfFamily, ...]:
    for module in FAMILY_MODULES:
        importlib.import_module(module)
    return tuple(_FAMILIES.values())


def family_for(folder: HfFolder) -> HfFamily:
    """The first registered family whose ``applies`` accepts the folder."""
    known = families()
    for family in known:
        if family.applies(folder):
            return family
    raise UsageError(
        f"--hf {folder.path}: no sdkgen task serves model_type {folder.config.get('model_type')!r} "
        f"with architectures {list(folder.architectures)}",
        hint=f"supported: {', '.join(f.name for f in known)}; for other models write a callable "
        "and use `sdkgen init --model`",
    )
