"""The generic task: any inputs and outputs through the raw tensor API (registered last)."""

from __future__ import annotations

from sdkgen.tasks.base import Task, register_task

TENSOR = register_task(Task(
    name="tensor",
    applies=lambda inputs, outputs: True,
    summary="runs the model on tensors",
))
