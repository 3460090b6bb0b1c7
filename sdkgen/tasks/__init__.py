"""Tasks, one module each; importing this package registers them in the order they are tried."""

from sdkgen.tasks import image_classification, tensor  # noqa: F401  (registration; tensor last)
from sdkgen.tasks.base import Task, task_for

__all__ = ["Task", "task_for"]
