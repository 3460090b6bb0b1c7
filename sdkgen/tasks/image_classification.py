"""Image classification: one image in, one classification out; ``classify(bitmap)`` on both platforms."""

from __future__ import annotations

from sdkgen.tasks.base import Task, register_task

IMAGE_CLASSIFICATION = register_task(Task(
    name="image_classification",
    applies=lambda inputs, outputs: inputs == ("image",) and outputs == ("classification",),
    summary="classifies an image into labelled classes",
))
