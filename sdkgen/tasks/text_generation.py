"""Text generation: a decoder language model with a KV cache; ``generate(messages)`` streaming text.

A text-generation definition (``task: text-generation``, see :mod:`sdkgen.llm.definition`) has no
inputs or outputs: the task checks and builds it itself. It chooses the LLM export recipes
(``sdkgen.export.executorch_llm``: a KV-cache ``.pte`` ExecuTorch's LLM runner reads;
``sdkgen.export.coreml_llm``: a stateful Core ML model) and its verification metrics (greedy-token
equality for float artifacts; teacher-forced top-1/top-5 agreement and perplexity for quantised
ones). Backends never import this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sdkgen.tasks.base import Task, register_task


def _check(loaded: Any) -> list[str]:
    from sdkgen.llm.plan import check_generation

    _, warnings = check_generation(loaded)
    return warnings


def _build(loaded: Any, *, out_dir: Path | None, platforms: tuple[str, ...], force: bool,
           progress: Any) -> Any:
    from sdkgen.llm.build import build_generation

    return build_generation(loaded, out_dir=out_dir, platforms=platforms, force=force,
                            progress=progress)


def _bench(spec_path: Path, build_dir: Path, *, options: Any,
           progress: Any) -> tuple[dict[str, Any], str]:
    from sdkgen.bench_llm import markdown_table, run_llm_bench

    document = run_llm_bench(spec_path, build_dir, threads=options.threads,
                             prefill=options.prefill, decode_tokens=options.decode_tokens,
                             warmup=options.warmup, repeats=options.runs, progress=progress,
                             text_tokens=options.text_tokens)
    return document, markdown_table(document)


TEXT_GENERATION = register_task(Task(
    name="text_generation",
    applies=lambda inputs, outputs: False,  # never chosen from kinds: only by `task:`
    summary="generates text from a chat with a decoder language model",
    definition_name="text-generation",
    check=_check,
    build=_build,
    feature_kinds=("text",),  # the generation SDKs tokenize with the text feature's tokenizer
    # its build writes no golden manifest: its trees' tests are the tokenizer, chat-template,
    # sampler, stop, streaming-decode and greedy goldens of templates/tasks/text_generation/
    template_layers=(),
    bench=_bench,  # speed, memory and agreement of eager, every .pte and llama.cpp
))
