"""What a node of a captured (``torch.export``) graph says about the layer it comes from."""

from __future__ import annotations

from typing import Any


def module_paths(node: Any) -> list[str]:
    """Module names (as in named_modules()) a captured node comes from, outermost first."""
    stack = node.meta.get("nn_module_stack") or {}
    return [path for path, _ in stack.values()]


def conv_groups(node: Any) -> int:
    """The ``groups`` argument of an ``aten.conv2d`` node (1 when left at its default)."""
    return node.args[6] if len(node.args) > 6 else node.kwargs.get("groups", 1)
