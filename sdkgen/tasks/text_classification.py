"""Text classification: one text in, one classification out; ``classify(text)`` on both platforms."""

from __future__ import annotations

from sdkgen.tasks.base import Task, register_task

TEXT_CLASSIFICATION = register_task(Task(
    name="text_classification",
    applies=lambda inputs, outputs: bool(inputs) and set(inputs) == {"text"}
    and outputs == ("classification",),
    summary="classifies a text into labelled classes",
))
