"""Tasks, one module each; importing this package registers them in the order they are tried."""

from sdkgen.tasks import (  # noqa: F401  (registration; text_generation is chosen by `task:` only, so tensor is the last tried by kinds)
    image_classification,
    tensor,
    text_generation,
)
from sdkgen.tasks.base import Task, task_for, task_for_definition

__all__ = ["Task", "task_for", "task_for_definition"]
