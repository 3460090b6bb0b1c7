"""What each build-cache entry is keyed by: everything that can change what it holds, nothing else.

- :func:`tree_key`: a whole build. Any change to the definition, a file it names, the model's or
  examples' source, sdkgen itself (code or templates) or an installed package makes a new key.
- :func:`export_key`: one platform's artifact and verification. Only what reaches the exported
  graph counts: the model's source and weights, the signature (names, kinds, shapes, dtypes), the
  platform's settings, the seed that makes the capture inputs, sdkgen's code and the installed
  packages. Labels, metadata, the version and templates do not: the pipeline rewrites an
  artifact's metadata after taking it from the cache (see ``Backend.refresh``).
- :func:`parity_key`: verification figures of one artifact on one set of parity inputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from sdkgen.build_cache import KeyBuilder, installed_versions, module_files, sdkgen_source_files
from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.templates import template_root
from sdkgen.spec import LoadedSpec


def _model_source(key: KeyBuilder, loaded: LoadedSpec) -> KeyBuilder:
    source = loaded.spec.model
    if source.callable is not None:
        key.json("callable", source.callable)
        key.files("callable source", module_files(source.callable, loaded.base_dir))
    for field in ("weights", "program"):
        relative = getattr(source, field)
        if relative is not None:
            key.file(field, loaded.resolve(relative))
    return key


def _environment(key: KeyBuilder) -> KeyBuilder:
    return key.json("installed", installed_versions()).files("sdkgen", sdkgen_source_files())


def tree_key(loaded: LoadedSpec, platforms: Sequence[str]) -> str:
    """The key of a finished build of ``loaded`` for ``platforms``."""
    key = KeyBuilder("tree").text("definition", loaded.sha256).json("platforms", list(platforms))
    _model_source(key, loaded)
    examples = loaded.spec.examples
    if examples is not None and examples.callable is not None:
        key.files("examples source", module_files(examples.callable, loaded.base_dir))
    key.tree("templates", template_root())
    return _environment(key).hexdigest()


def export_key(loaded: LoadedSpec, plan: SdkContext, platform: str, backend: str,
               artifact_name: str) -> str:
    """The key of ``platform``'s exported artifact (metadata aside)."""
    spec = loaded.spec
    key = KeyBuilder("export").text("platform", platform).text("backend", backend)
    key.text("artifact", artifact_name)
    _model_source(key, loaded)
    key.json("inputs", [i.model_dump(mode="json") for i in spec.inputs])
    key.json("outputs", [(o.feature_name, o.kind) for o in plan.outputs])
    key.json("settings", getattr(spec.platforms, platform).model_dump(mode="json"))
    key.json("seed", spec.validation.seed)
    return _environment(key).hexdigest()


def parity_key(export: str, inputs: Sequence[tuple[np.ndarray, ...]],
               eager_outputs: Sequence[tuple[np.ndarray, ...]], loaded: LoadedSpec) -> str:
    """The key of an artifact's verification on these inputs, against these eager outputs."""
    key = KeyBuilder("parity").text("export", export)
    for group, arrays in (("inputs", inputs), ("eager", eager_outputs)):
        for case in arrays:
            for array in case:
                contiguous = np.ascontiguousarray(array)
                key.text(group, f"{contiguous.dtype.str}{list(contiguous.shape)}")
                key.text(group, hashlib.sha256(contiguous.tobytes()).hexdigest())
    key.json("validation", loaded.spec.validation.model_dump(mode="json"))
    return key.hexdigest()
