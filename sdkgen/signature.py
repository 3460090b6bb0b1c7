"""What ``forward`` returns, as a flat list of named tensors (the outputs a definition declares).

A tensor, or one level of tuple, list, dict, namedtuple or Hugging Face ``ModelOutput`` of tensors,
flattened in torch's pytree order, which is also the order of the exported programs' outputs.
Anything nested or not a tensor is an error naming its path inside the return value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sdkgen.errors import ModelLoadError

_HINT = ("return a tensor, or a flat tuple/dict of tensors, from forward(); wrap the model in a "
         "module whose forward() returns only the tensors the app needs")


@dataclass(frozen=True)
class ReturnedTensor:
    key: str | None  # dict key or namedtuple field; None for a position in a tuple/list
    path: str  # where it sits in the return value, e.g. "['pooler_output']" or "[1]"
    tensor: Any  # torch.Tensor


def _key(entry: Any) -> str | None:
    from torch.utils._pytree import GetAttrKey, MappingKey

    if isinstance(entry, MappingKey):
        return str(entry.key)
    if isinstance(entry, GetAttrKey):
        return entry.name
    return None


def flatten_outputs(result: Any) -> list[ReturnedTensor]:
    """The tensors ``forward`` returned, in export order; ModelLoadError for anything else."""
    import torch
    from torch.utils._pytree import keystr, tree_flatten_with_path

    if isinstance(result, torch.Tensor):
        return [ReturnedTensor(None, "", result)]
    leaves, _ = tree_flatten_with_path(result)
    flat = []
    for path, leaf in leaves:
        where = keystr(path)
        if len(path) > 1:
            raise ModelLoadError(
                f"the model's output {where} is nested inside {keystr(path[:1])}: sdkgen takes "
                "one tensor per output", hint=_HINT,
            )
        if not isinstance(leaf, torch.Tensor):
            raise ModelLoadError(
                f"the model's output {where or 'value'} is a {type(leaf).__name__}, expected a "
                "tensor", hint=_HINT,
            )
        flat.append(ReturnedTensor(_key(path[0]) if path else None, where, leaf))
    if not flat:
        raise ModelLoadError(f"the model returned no tensors ({type(result).__name__})", hint=_HINT)
    return flat
