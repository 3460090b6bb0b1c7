"""What a task adds above its input and output kinds, and the registry tasks are chosen from.

A task (``image_classification``, ``tensor``, ...) is one module under :mod:`sdkgen.tasks`. It
decides from the plan's input and output kinds whether it applies, and owns the typed API the
wrappers expose beyond the raw tensor one: its template folder
``templates/tasks/<name>/<platform>/`` holds the files and fragments only that task renders
(typed methods, sample app, README sections). Tasks are tried in registration order; the first
that applies is the plan's task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sdkgen.errors import SdkgenError

KindSignature = Callable[[tuple[str, ...], tuple[str, ...]], bool]
# The template layer (``templates/layers/<layer>/<platform>/``) of the tests that read the golden
# folder the shared pipeline writes (``manifest.json`` and raw input → tensor → output cases):
# the raw-tensor golden test and the on-device model test.
GOLDEN_MANIFEST = "golden_manifest"


@dataclass(frozen=True)
class BenchOptions:
    """``sdkgen bench``'s options, as a task's own bench reads them."""

    threads: tuple[int, ...]  # thread counts, each measured in fresh processes
    runs: int  # timed runs (medians reported)
    warmup: int  # untimed runs before them
    prefill: int  # prompt tokens (language models)
    decode_tokens: int  # generated tokens after the first (language models)
    text_tokens: int | None = None  # teacher-forced tokens (language models; None: the definition's)


@dataclass(frozen=True)
class Task:
    name: str  # also the folder under templates/tasks/
    applies: KindSignature  # (input kinds, output kinds) → whether this task serves them
    summary: str  # one line for reports and READMEs
    # A task with its own definition (``task: <definition_name>`` in sdkgen.yaml, no inputs or
    # outputs) checks and builds it itself: ``check(loaded) -> warnings`` runs at validate/plan
    # time without loading the model; ``build(loaded, out_dir=, platforms=, force=, progress=)``
    # returns a pipeline BuildResult.
    definition_name: str | None = None
    check: Callable[[Any], list[str]] | None = None
    build: Callable[..., Any] | None = None
    # kinds whose templates (``features/<kind>/<platform>``) the task renders besides its inputs'
    # and outputs' own, e.g. the text feature's tokenizer for text generation
    feature_kinds: tuple[str, ...] = ()
    # shared template layers (``templates/layers/<layer>/<platform>/``) the task's trees render,
    # after the platform's own folder: a task whose build writes another golden layout (text
    # generation: golden/generation/ and golden/text/) lists none and brings its own tests
    template_layers: tuple[str, ...] = (GOLDEN_MANIFEST,)
    # ``sdkgen bench`` of a task with its own measurements: ``bench(spec_path, build_dir,
    # options=BenchOptions, progress=) -> (JSON document, Markdown table)``
    bench: Callable[..., tuple[dict[str, Any], str]] | None = None


_TASKS: dict[str, Task] = {}


def register_task(task: Task) -> Task:
    if task.name in _TASKS:
        raise SdkgenError(f"task {task.name!r} is registered twice")
    _TASKS[task.name] = task
    return task


def task_for(input_kinds: tuple[str, ...], output_kinds: tuple[str, ...]) -> Task:
    """The first registered task that applies to these kinds (the generic ``tensor`` task is last)."""
    import sdkgen.tasks  # noqa: F401  (registration, in a fixed order)

    for task in _TASKS.values():
        if task.applies(input_kinds, output_kinds):
            return task
    raise SdkgenError(f"no task serves inputs {list(input_kinds)} and outputs {list(output_kinds)}")


def task_named(name: str) -> Task | None:
    """The registered task called ``name`` (``None`` when there is none)."""
    import sdkgen.tasks  # noqa: F401  (registration, in a fixed order)

    return _TASKS.get(name)


def task_for_definition(loaded: Any) -> Task | None:
    """The task that owns a definition with a ``task:`` field (``None`` for inputs/outputs ones)."""
    import sdkgen.tasks  # noqa: F401  (registration, in a fixed order)

    name = getattr(loaded.spec, "task", None)
    if name is None:
        return None
    for task in _TASKS.values():
        if task.definition_name == name:
            return task
    raise SdkgenError(f"no registered task builds definitions of task {name!r}")
