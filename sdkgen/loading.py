"""Load the user's model: import the callable, load weights safely, make example inputs."""

from __future__ import annotations

import importlib
import pickle
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sdkgen.errors import ModelLoadError
from sdkgen.spec import LoadedSpec

_TORCH_DTYPES = {"float32": "float32", "int32": "int32", "int64": "int64"}


@dataclass(frozen=True)
class LoadedModel:
    module: Any  # torch.nn.Module in eval mode (or an ExportedProgram's module)
    example_inputs: tuple[Any, ...]  # torch tensors, one per definition input, in order
    source: str  # "callable sdkgen.examples.digits.model:build_model" or "program x.pt2"


def _user_frame(error: BaseException) -> str:
    """The last traceback frame outside sdkgen, torch and importlib: where the user's code failed."""
    frames = [
        f for f in traceback.extract_tb(error.__traceback__)
        if ("/sdkgen/" not in f.filename or "/sdkgen/examples/" in f.filename)
        and "site-packages" not in f.filename and "importlib" not in f.filename
        and not f.filename.startswith("<")
    ]
    if not frames:
        return ""
    frame = frames[-1]
    return f" (at {frame.filename}:{frame.lineno})"


def _forget_shadowed_module(module_name: str, base_dir: Path) -> None:
    """Drop a cached module of the same name imported from elsewhere, when the definition's folder
    has its own (two definitions in one process may each have a ``model.py``)."""
    top = module_name.split(".", maxsplit=1)[0]
    local = [base_dir / f"{top}.py", base_dir / top / "__init__.py"]
    local_file = next((p.resolve() for p in local if p.is_file()), None)
    cached = sys.modules.get(top)
    if local_file is None or cached is None:
        return
    cached_file = getattr(cached, "__file__", None)
    if cached_file is not None and Path(cached_file).resolve() == local_file:
        return
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        del sys.modules[name]


def import_callable(reference: str, *, base_dir: Path, field: str) -> Callable[..., Any]:
    """Import ``package.module:attr``; the definition's folder is importable too."""
    module_name, _, attribute_path = reference.partition(":")
    _forget_shadowed_module(module_name, base_dir)
    added = str(base_dir) not in sys.path
    if added:
        sys.path.insert(0, str(base_dir))
    try:
        module = importlib.import_module(module_name)
    except Exception as error:
        raise ModelLoadError(
            f"{field}: cannot import module {module_name!r}: "
            f"{type(error).__name__}: {error}{_user_frame(error)}",
            hint="check the module path and that the package is installed in this environment",
        ) from error
    finally:
        if added:
            sys.path.remove(str(base_dir))
    target: Any = module
    for part in attribute_path.split("."):
        if not hasattr(target, part):
            candidates = [n for n in dir(target) if not n.startswith("_")]
            raise ModelLoadError(
                f"{field}: module {module_name!r} has no attribute {attribute_path!r}",
                hint=f"public names there: {', '.join(sorted(candidates)[:12])}",
            )
        target = getattr(target, part)
    if not callable(target):
        raise ModelLoadError(f"{field}: {reference} is not callable")
    return target


def _load_state_dict(path: Path) -> dict[str, Any]:
    import torch

    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise ModelLoadError(
            f"model.weights: {path} holds pickled objects that only unsafe loading can read, so "
            "sdkgen refuses it",
            hint="save only the weights: torch.save(model.state_dict(), path); sdkgen loads with "
            "torch.load(weights_only=True), which cannot run code from the file",
        ) from None
    except Exception as error:
        raise ModelLoadError(
            f"model.weights: cannot read {path}: {type(error).__name__}: {error}"
        ) from None
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
        raise ModelLoadError(
            f"model.weights: {path} holds a {type(state).__name__}, not a state_dict",
            hint="save it with torch.save(model.state_dict(), path)",
        )
    return state


def _apply_weights(module: Any, path: Path) -> None:
    state = _load_state_dict(path)
    result = module.load_state_dict(state, strict=False)
    missing, unexpected = list(result.missing_keys), list(result.unexpected_keys)
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing from the file: {', '.join(missing[:10])}")
        if unexpected:
            parts.append(f"not in the model: {', '.join(unexpected[:10])}")
        raise ModelLoadError(
            f"model.weights: {path} does not match the model ({'; '.join(parts)})",
            hint="the callable must build the same architecture the weights were saved from",
        )


def make_example_inputs(loaded: LoadedSpec, *, seed: int) -> tuple[Any, ...]:
    """Deterministic inputs of the plan's tensors: images in [-1, 1]-ish, ints in [0, 10); tensors
    fed from one app-level value (a text input's ids and mask) are that value's reference
    processing of a seeded raw value, so they agree with each other as real inputs do."""
    import torch

    from sdkgen.features.base import input_kind
    from sdkgen.plan import make_plan

    generator = np.random.default_rng(seed)
    fed_rng = np.random.default_rng(seed)
    raw: dict[str, np.ndarray] = {}
    tensors = []
    for item in make_plan(loaded).inputs:
        if item.source_name is not None:
            kind = input_kind(item.kind)
            if item.source not in raw:
                raw[item.source] = kind.random_raw(item, fed_rng)
            values = kind.reference(raw[item.source], item)
        elif item.dtype == "float32":
            values = generator.standard_normal(item.shape).astype(np.float32)
        else:
            values = generator.integers(0, 10, size=item.shape).astype(item.dtype)
        tensors.append(torch.from_numpy(values))
    return tuple(tensors)


def load_model(loaded: LoadedSpec) -> LoadedModel:
    """Build the module from the definition and return it in eval mode with example inputs."""
    import torch

    source = loaded.spec.model
    if source.program is not None:
        path = loaded.resolve(source.program)
        try:
            program = torch.export.load(path)
        except Exception as error:
            raise ModelLoadError(
                f"model.program: cannot load {path}: {type(error).__name__}: {error}",
                hint="save it with torch.export.save(torch.export.export(model, inputs), path)",
            ) from error
        module = program.module()
        description = f"program {source.program}"
    else:
        assert source.callable is not None  # the spec guarantees one of the two
        factory = import_callable(source.callable, base_dir=loaded.base_dir, field="model.callable")
        try:
            module = factory()
        except Exception as error:
            raise ModelLoadError(
                f"model.callable: {source.callable}() raised {type(error).__name__}: "
                f"{error}{_user_frame(error)}"
            ) from error
        if not isinstance(module, torch.nn.Module):
            raise ModelLoadError(
                f"model.callable: {source.callable}() returned {type(module).__name__}, "
                "expected a torch.nn.Module"
            )
        if source.weights is not None:
            _apply_weights(module, loaded.resolve(source.weights))
        module.eval()
        description = f"callable {source.callable}"
    return LoadedModel(
        module=module,
        example_inputs=make_example_inputs(loaded, seed=loaded.spec.validation.seed),
        source=description,
    )


def call_model(model: LoadedModel, inputs: tuple[Any, ...]) -> Any:
    """Run the module without gradients and return what ``forward`` returns, as is."""
    import torch

    try:
        with torch.no_grad():
            return model.module(*inputs)
    except Exception as error:
        shapes = ", ".join(f"{list(x.shape)} {str(x.dtype).removeprefix('torch.')}" for x in inputs)
        raise ModelLoadError(
            f"inputs: the model rejected inputs of the declared shapes ({shapes}): "
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            f"{_user_frame(error)}",
            hint="make inputs[].image width/height/color/layout, inputs[].tensor shape/dtype or "
            "inputs[].text max_length/feeds match what forward() expects",
        ) from error


def run_eager(model: LoadedModel, inputs: tuple[Any, ...]) -> tuple[np.ndarray, ...]:
    """Run the module and return its outputs as float32 numpy arrays, flattened to a tuple."""
    import torch

    from sdkgen.signature import flatten_outputs

    return tuple(
        returned.tensor.detach().to(torch.float32).numpy().copy()
        for returned in flatten_outputs(call_model(model, inputs))
    )
