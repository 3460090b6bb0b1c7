"""Where each submodule of a model hangs: for source transformations that swap modules by name."""

from __future__ import annotations

from typing import Any


def child_slots(model: Any) -> list[tuple[Any, str, str, Any]]:
    """``(parent, attribute, qualified name, child)`` for every submodule of ``model``, the
    qualified name as ``named_modules`` gives it; a list, so that callers may replace children
    (``setattr(parent, attribute, new)``) while they go through it."""
    slots = []
    for parent_name, parent in list(model.named_modules()):
        for name, child in list(parent.named_children()):
            slots.append((parent, name, f"{parent_name}.{name}" if parent_name else name, child))
    return slots
