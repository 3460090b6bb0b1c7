"""Tasks, one module each; importing this package registers them in the order they are tried."""

# isort: off
from sdkgen.tasks import image_classification, text_classification, text_embedding  # noqa: F401
from sdkgen.tasks import tensor  # noqa: F401  (registered last: it serves any kinds)
# isort: on
from sdkgen.tasks.base import Task, task_for

__all__ = ["Task", "task_for"]
