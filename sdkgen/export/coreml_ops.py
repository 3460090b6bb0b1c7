"""Translations of torch ops coremltools 9.0 cannot convert, active only during one conversion.

Each translation is a pure MIL builder (``build_<op>``: MIL variables and plain values in, a MIL
variable out, tested numerically against torch with MIL's own value inference) plus a thin
adapter that reads the op's arguments from coremltools' torch frontend node.
:func:`registered_translations` adds the adapters to coremltools' op registry for the duration
of a ``with`` block and restores the registry afterwards, so sdkgen never changes coremltools for
other code in the process. An op coremltools already converts is never overridden.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Translation:
    op: str  # the torch op name as coremltools looks it up ("diff", "alias", ...)
    convert: Callable[[Any, Any], None]  # (context, node) adapter for coremltools' registry
    why: str  # where it shows up, for people reading the list


def _argument(context: Any, node: Any, position: int, keyword: str) -> Any:
    """The op's argument at ``position`` or passed as ``keyword``; None when absent."""
    from coremltools.converters.mil.frontend.torch.ops import _get_inputs, _get_kwinputs

    inputs = _get_inputs(context, node)
    if len(inputs) > position and inputs[position] is not None:
        return inputs[position]
    found = _get_kwinputs(context, node, keyword, default=None)
    return found[0] if found else None


def _constant(var: Any, default: Any) -> Any:
    if var is None:
        return default
    if var.val is None:
        raise NotImplementedError(f"sdkgen's Core ML translation needs a constant, got {var}")
    return var.val


# --- diff -------------------------------------------------------------------------------------


def build_diff(x: Any, *, n: int, dim: int, prepend: Any = None, append: Any = None,
               name: str | None = None) -> Any:
    """``torch.diff``: ``n`` times ``x[1:] - x[:-1]`` along ``dim``, after concatenating
    ``prepend``/``append``."""
    from coremltools.converters.mil import Builder as mb

    rank = x.rank
    axis = dim % rank
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = mb.concat(values=parts, axis=axis)
    for step in range(n):
        begin_mask = [True] * rank
        end_mask = [True] * rank
        upper_begin, lower_end = [0] * rank, [0] * rank
        upper_begin[axis], begin_mask[axis] = 1, False
        lower_end[axis], end_mask[axis] = -1, False
        upper = mb.slice_by_index(x=x, begin=upper_begin, end=[0] * rank,
                                  begin_mask=begin_mask, end_mask=[True] * rank)
        lower = mb.slice_by_index(x=x, begin=[0] * rank, end=lower_end,
                                  begin_mask=[True] * rank, end_mask=end_mask)
        last = step == n - 1
        x = mb.sub(x=upper, y=lower, name=name) if last and name else mb.sub(x=upper, y=lower)
    return x


def _diff(context: Any, node: Any) -> None:
    x = _argument(context, node, 0, "input")
    result = build_diff(
        x, n=int(_constant(_argument(context, node, 1, "n"), 1)),
        dim=int(_constant(_argument(context, node, 2, "dim"), -1)),
        prepend=_argument(context, node, 3, "prepend"),
        append=_argument(context, node, 4, "append"), name=node.name,
    )
    context.add(result, torch_name=node.name)


# --- alias ------------------------------------------------------------------------------------


def _alias(context: Any, node: Any) -> None:
    """``aten.alias``: a view of the same values; coremltools knows ``alias_copy`` only."""
    context.add(_argument(context, node, 0, "self"), torch_name=node.name)


# --- new_ones ---------------------------------------------------------------------------------


def build_new_ones(shape: Any, *, integer: bool, name: str | None = None) -> Any:
    """Ones of ``shape``: a tuple of ints (``()`` for a scalar) or an int32 shape variable;
    int32 or fp32 (Core ML's integer and float types)."""
    import numpy as np
    from coremltools.converters.mil import Builder as mb

    kwargs = {"name": name} if name else {}
    if isinstance(shape, tuple):
        return mb.const(val=np.ones(shape, dtype=np.int32 if integer else np.float32), **kwargs)
    return mb.fill(shape=shape, value=1 if integer else 1.0, **kwargs)


def _new_ones(context: Any, node: Any) -> None:
    import numpy as np
    import torch
    from coremltools.converters.mil import Builder as mb
    from coremltools.converters.mil.mil import types

    x = _argument(context, node, 0, "self")
    size = _argument(context, node, 1, "size")
    if isinstance(size, list):  # some dimensions are symbolic
        shape: Any = mb.concat(values=size, axis=0)
    elif size.val is not None:
        shape = tuple(int(d) for d in np.asarray(size.val).reshape(-1))
    else:
        shape = mb.cast(x=size, dtype="int32")
    dtype = _argument(context, node, 2, "dtype")
    if dtype is not None and dtype.val is not None:
        integer = not torch.empty(0, dtype=_torch_dtype(dtype.val)).is_floating_point()
    else:
        integer = types.is_int(x.dtype)
    context.add(build_new_ones(shape, integer=integer, name=node.name), torch_name=node.name)


def _torch_dtype(value: Any) -> Any:
    import torch
    from coremltools.converters.mil.frontend.torch.utils import NUM_TO_TORCH_DTYPE

    return value if isinstance(value, torch.dtype) else NUM_TO_TORCH_DTYPE[int(value)]


# --- __and__ / __or__ -------------------------------------------------------------------------


def build_logical(x: Any, y: Any, *, op: str, name: str | None = None) -> Any:
    """``a & b`` / ``a | b`` of boolean tensors: MIL's logical_and / logical_or."""
    from coremltools.converters.mil import Builder as mb
    from coremltools.converters.mil.mil import types

    if not (types.is_bool(x.dtype) and types.is_bool(y.dtype)):
        raise NotImplementedError(
            f"sdkgen's Core ML translation of {op} handles boolean tensors only, got "
            f"{types.builtin_to_string(x.dtype)} and {types.builtin_to_string(y.dtype)}"
        )
    builder = mb.logical_and if op == "__and__" else mb.logical_or
    return builder(x=x, y=y, name=name) if name else builder(x=x, y=y)


def _logical(op: str) -> Callable[[Any, Any], None]:
    def convert(context: Any, node: Any) -> None:
        x, y = _argument(context, node, 0, "self"), _argument(context, node, 1, "other")
        context.add(build_logical(x, y, op=op, name=node.name), torch_name=node.name)

    convert.__name__ = op.strip("_")
    return convert


TRANSLATIONS: tuple[Translation, ...] = (
    Translation("diff", _diff, "transformers' masking utilities (GPT-2 and other decoders) on "
                "the torch.export route without decompositions"),
    Translation("alias", _alias, "transformers decoders (GPT-2) after the default "
                "decompositions"),
    Translation("__and__", _logical("__and__"), "boolean masks combined with & in "
                "transformers decoders (GPT-2) on the torch.export route without decompositions"),
    Translation("__or__", _logical("__or__"), "boolean masks combined with | (the same "
                "masking code, other configurations)"),
    Translation("new_ones", _new_ones, "transformers encoders' attention masks on the "
                "torch.export route without decompositions"),
)


@contextlib.contextmanager
def registered_translations() -> Iterator[set[str]]:
    """Register every translation coremltools lacks for the ``with`` block; restore on exit.

    Yields a set that fills with the op names whose translation the conversion used.
    """
    from coremltools.converters.mil.frontend.torch.torch_op_registry import _TORCH_OPS_REGISTRY

    mapping = _TORCH_OPS_REGISTRY.name_to_func_mapping
    used: set[str] = set()
    added: dict[str, Callable[[Any, Any], None]] = {}
    for translation in TRANSLATIONS:
        if translation.op in mapping:  # coremltools converts it itself: never override
            continue

        def convert(context: Any, node: Any, translation: Translation = translation) -> None:
            used.add(translation.op)
            translation.convert(context, node)

        added[translation.op] = convert
        mapping[translation.op] = convert
    try:
        yield used
    finally:
        for op, convert in added.items():
            if mapping.get(op) is convert:
                del mapping[op]
