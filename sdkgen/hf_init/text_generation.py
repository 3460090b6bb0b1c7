"""The text-generation family of ``sdkgen init --hf``: decoder language models.

A folder whose config describes a causal language model gets a ``task: text-generation``
definition written by :mod:`sdkgen.llm.init` (architecture, context length, chat template, special
tokens, quantisation per platform, sampling defaults).
"""

from __future__ import annotations

from sdkgen.hf_init import HfFamily, HfFolder, InitFiles, InitRequest, register_family


def _applies(folder: HfFolder) -> bool:
    from sdkgen.llm.init import is_decoder

    return is_decoder(folder.config)


def _write(request: InitRequest) -> InitFiles:
    from sdkgen.llm.init import render_hf

    definition = render_hf(request.folder.path, request.folder.config, request.out, request.name)
    return InitFiles(definition=definition, summary={"task": "text-generation", "model_run": False})


TEXT_GENERATION = register_family(HfFamily(name="text_generation", applies=_applies, write=_write))
