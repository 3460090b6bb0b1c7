"""Text embedding: one text in, one embedding out; ``embed(text)`` and cosine similarity."""

from __future__ import annotations

from sdkgen.tasks.base import Task, register_task

TEXT_EMBEDDING = register_task(Task(
    name="text_embedding",
    applies=lambda inputs, outputs: bool(inputs) and set(inputs) == {"text"}
    and outputs == ("embedding",),
    summary="turns a text into an embedding vector, compared by cosine similarity",
))
