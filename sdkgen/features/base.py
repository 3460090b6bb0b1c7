"""What an input kind and an output kind provide, and the registry the stages look them up in.

A kind (``image``, ``tensor``, ``classification``, ...) is one module under :mod:`sdkgen.features`
that owns everything about it: its block of the definition (schema), its processing context in the
plan, its numpy reference processing, how its golden cases are written and checked, the metadata
it embeds in artifacts, and its template folder (``templates/features/<kind>/<platform>/``, when it
has files of its own). Stages never branch on a kind's name: they ask the kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from sdkgen.errors import SdkgenError, SpecError

if TYPE_CHECKING:
    from sdkgen.codegen.context import InputContext, OutputContext
    from sdkgen.spec import InputSpec, LoadedSpec, OutputSpec

NUMPY_DTYPES: Mapping[str, type[np.generic]] = {
    "float32": np.float32, "int32": np.int32, "int64": np.int64,
}


def little_endian_bytes(array: np.ndarray, dtype: str) -> bytes:
    """``array`` as contiguous little-endian ``dtype`` values, row-major (the golden binary format)."""
    little_endian = np.dtype(NUMPY_DTYPES[dtype]).newbyteorder("<")
    return np.ascontiguousarray(array, dtype=little_endian).tobytes(order="C")


class InputKind(ABC):
    """One kind of model input: how an app's raw value becomes the model's input tensor."""

    name: str  # the key of its block under ``inputs[]`` in the definition

    @abstractmethod
    def context(self, declared: Any) -> Any:
        """The kind's processing context in the plan (``None`` when it has nothing to declare)."""

    @abstractmethod
    def reference(self, raw: np.ndarray, item: InputContext) -> np.ndarray:
        """The numpy reference: a raw value as an app passes it → the model input tensor."""

    @abstractmethod
    def random_raw(self, item: InputContext, rng: np.random.Generator) -> np.ndarray:
        """A seeded raw value for generated golden cases and parity inputs."""

    @abstractmethod
    def check_raw(self, value: np.ndarray, item: InputContext) -> str | None:
        """What is wrong with a user-supplied raw value (``None`` when it fits)."""

    @abstractmethod
    def raw_bytes(self, raw: np.ndarray, item: InputContext) -> bytes:
        """The golden ``.raw`` file of a raw value."""

    def case_entry(self, raw: np.ndarray, item: InputContext) -> dict[str, Any]:
        """Keys this kind adds to a case's input entry in the golden manifest (e.g. a raw size)."""
        return {}

    def load_file(self, path: Path, item: InputContext, *, field: str) -> np.ndarray:
        """A raw value read from a file the definition names (``examples.images``, sample folders)."""
        raise SpecError(f"{self.name} inputs cannot be read from files such as {path.name}",
                        field=field)

    def manifest_entry(self, item: InputContext) -> dict[str, Any]:
        """Keys this kind adds to the input's entry in the golden manifest."""
        return {}

    def artifact_metadata(self, declared: Any) -> str | None:
        """Text embedded in artifacts that carry metadata (Core ML), or ``None``."""
        return None

    def feature_names(self, declared: Any, feature_name: str) -> tuple[str, ...]:
        """The names of the model tensors this input fills (one, named after it, by default)."""
        return (feature_name,)

    def tensors(self, declared: Any, *, name: str, feature_name: str,
                base_dir: Path) -> tuple[tuple[str, tuple[int, ...], str, Any], ...] | None:
        """``(feature name, shape, dtype, context)`` of each model tensor, for a kind whose one
        input feeds several tensors (``text``); ``None``: one tensor, from :meth:`context`."""
        return None

    def golden_files(self, item: InputContext) -> dict[str, bytes]:
        """Files this kind adds to the golden folder, by relative path, once per app-level input."""
        return {}

    description = "tensor"  # how artifact descriptions name the model input


class OutputKind(ABC):
    """One kind of model output: how the model's output tensor becomes what an app reads."""

    name: str
    top1_agreement = False  # parity also compares the arg-max of this output
    decoded_cosine = False  # parity also compares the decoded vectors by cosine (embeddings)

    @abstractmethod
    def context(self, declared: Any, labels: tuple[str, ...] | None) -> Any:
        """The kind's decoding context in the plan (``None`` when the tensor is the result)."""

    def check_eager(self, value: np.ndarray, declared: Any, labels: tuple[str, ...] | None,
                    field: str) -> None:
        """Refuse an eager output that cannot be what the definition declares (SpecError)."""
        return None

    def decode(self, tensor: np.ndarray, item: OutputContext,
               inputs: Mapping[str, np.ndarray] | None = None) -> list[Any] | None:
        """The reference decoding of an output tensor (``None`` when the tensor is the result);
        ``inputs`` are the case's model input tensors by feature name (an attention mask)."""
        return None

    def check_inputs(self, declared: Any, input_features: tuple[str, ...], field: str) -> None:
        """Refuse a definition whose model inputs lack what this output's decoding reads."""
        return None

    def decoded_entry(self, decoded: list[Any]) -> Any:
        """The golden manifest's ``decoded`` value of :meth:`decode`'s result."""
        raise NotImplementedError

    def manifest_entry(self, item: OutputContext) -> dict[str, Any]:
        return {}

    def cases_entry(self, item: OutputContext, decoded: Mapping[str, Any]) -> dict[str, Any]:
        """Keys this kind adds to the output's manifest entry from every case's decoded result
        (case name → :meth:`decode`'s result, in case order): what holds across cases."""
        return {}

    def artifact_metadata(self, declared: Any, labels: tuple[str, ...] | None) -> str | None:
        return None

    description = "tensor"


_INPUT_KINDS: dict[str, InputKind] = {}
_OUTPUT_KINDS: dict[str, OutputKind] = {}


def register_input_kind(kind: InputKind) -> InputKind:
    if kind.name in _INPUT_KINDS:
        raise SdkgenError(f"input kind {kind.name!r} is registered twice")
    _INPUT_KINDS[kind.name] = kind
    return kind


def register_output_kind(kind: OutputKind) -> OutputKind:
    if kind.name in _OUTPUT_KINDS:
        raise SdkgenError(f"output kind {kind.name!r} is registered twice")
    _OUTPUT_KINDS[kind.name] = kind
    return kind


def input_kind(name: str) -> InputKind:
    import sdkgen.features  # noqa: F401  (registration)

    return _INPUT_KINDS[name]


def output_kind(name: str) -> OutputKind:
    import sdkgen.features  # noqa: F401  (registration)

    return _OUTPUT_KINDS[name]


def declared_input(spec_input: InputSpec) -> Any:
    """The block of the input's kind in the definition (``inputs[i].<kind>``)."""
    return getattr(spec_input, spec_input.kind)


def declared_output(spec_output: OutputSpec) -> Any:
    return getattr(spec_output, spec_output.kind)


def output_labels(loaded: LoadedSpec, spec_output: OutputSpec) -> tuple[str, ...] | None:
    return loaded.labels.get(spec_output.name)
