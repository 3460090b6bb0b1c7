"""Tasks, one module each; importing this package registers them in the order they are tried."""

# isort: off
from sdkgen.tasks import image_classification, text_classification, text_embedding  # noqa: F401
from sdkgen.tasks import text_generation  # noqa: F401  (chosen by `task:` only, never by kinds)
from sdkgen.tasks import tensor  # noqa: F401  (registered last: it serves any kinds)
# isort: on
from sdkgen.tasks.base import Task, task_for, task_for_definition

__all__ = ["Task", "task_for", "task_for_definition"]
