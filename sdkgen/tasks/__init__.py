"""Tasks, one module each; importing this package registers them in the order they are tried."""

from sdkgen.tasks import (  # noqa: F401  (registration, in this order; tensor last)
    image_classification,
    text_classification,
    text_embedding,
    tensor,
)
from sdkgen.tasks.base import Task, task_for

__all__ = ["Task", "task_for"]
