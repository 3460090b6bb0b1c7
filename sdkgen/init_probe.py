"""``sdkgen init`` without ``--dry``: load the model as ``build`` does, run it once, and read what
it returns (one output per tensor, with names, shapes and dtypes) and the module's class name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sdkgen.codegen import naming
from sdkgen.errors import UsageError

# runs of capitals stay together ("SSD", "LM"), digits stay with the word before them ("GPT2")
_CLASS_WORDS = re.compile(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+[0-9]*|[0-9]+")


@dataclass(frozen=True)
class ProbedOutput:
    name: str
    shape: tuple[int, ...]
    dtype: str  # torch dtype without the "torch." prefix
    path: str  # where it sits in the return value ("" for a bare tensor)
    classification: bool = False
    embedding: bool = False  # token vectors [1, tokens, width] of a text model, pooled into one


@dataclass(frozen=True)
class Probe:
    class_name: str
    outputs: tuple[ProbedOutput, ...]
    forward_parameters: tuple[str, ...] = ()  # names of forward's parameters, in order

    @property
    def display_name(self) -> str:
        """``SSDLiteHead`` → ``SSD Lite Head``."""
        return " ".join(_CLASS_WORDS.findall(self.class_name)) or self.class_name


def _names(keys: list[str | None]) -> list[str]:
    if len(keys) == 1 and keys[0] is None:
        return ["output"]
    names: list[str] = []
    for index, key in enumerate(keys):
        name = naming.snake_name(key, fallback="output") if key is not None else f"output_{index}"
        while name in names:
            name = f"{name}_{index}"
        names.append(name)
    return names


def probe_model(dry_definition: str, out: Path, *, labels: bool) -> Probe:
    """Load the model of ``dry_definition`` (as if written at ``out``) and run it once on inputs
    of the declared shapes; with ``labels``, the output with one value per label (the
    definition's ``scores`` output) is the classification."""
    from sdkgen import loading
    from sdkgen.signature import flatten_outputs
    from sdkgen.spec import load_spec

    probe_file = out.parent / f".{out.name}.init-probe.yaml"
    probe_file.write_text(dry_definition, encoding="utf-8")
    try:
        loaded = load_spec(probe_file)
        model = loading.load_model(loaded)
        returned = flatten_outputs(loading.call_model(model, model.example_inputs))
    finally:
        probe_file.unlink(missing_ok=True)
    names = _names([r.key for r in returned])
    label_count = len(loaded.labels["scores"]) if labels else None
    chosen = None
    if label_count is not None:
        chosen = next((i for i, r in enumerate(returned) if r.tensor.numel() == label_count), None)
        if chosen is None:
            shapes = ", ".join(f"{n} {list(r.tensor.shape)}" for n, r in zip(names, returned,
                                                                          strict=True))
            raise UsageError(
                f"--labels has {label_count} labels, but no output of the model has "
                f"{label_count} values ({shapes})",
                hint="give the labels file of the classification output, or leave --labels out",
            )
    text_lengths = {i.text.max_length for i in loaded.spec.inputs if i.text is not None}
    outputs = tuple(
        ProbedOutput(
            name="scores" if index == chosen and r.key is None else name, shape=tuple(r.tensor.shape),
            dtype=str(r.tensor.dtype).removeprefix("torch."), path=r.path,
            classification=index == chosen,
            embedding=chosen is None and len(returned) == 1 and r.tensor.ndim == 3
            and r.tensor.is_floating_point() and r.tensor.shape[1] in text_lengths,
        )
        for index, (name, r) in enumerate(zip(names, returned, strict=True))
    )
    return Probe(class_name=type(model.module).__name__, outputs=outputs,
                 forward_parameters=_forward_parameters(model.module))


def _forward_parameters(module: object) -> tuple[str, ...]:
    import inspect

    try:
        return tuple(inspect.signature(module.forward).parameters)  # type: ignore[attr-defined]
    except (TypeError, ValueError, AttributeError):
        return ()
