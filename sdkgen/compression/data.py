"""Calibration and evaluation samples named by the definition's ``compression`` section.

A source gives *raw* samples, the way an app hands them to the SDK: RGBA8 pixels ``(H, W, 4)`` for
image inputs, tensors of the declared shape otherwise. They go through the same reference
pre-processing as the golden vectors (:func:`sdkgen.golden.preprocess`) before reaching a model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.errors import SpecError
from sdkgen.features.base import input_kind
from sdkgen.features.image import IMAGE_SUFFIXES
from sdkgen.golden import RawCase, preprocess
from sdkgen.spec import LoadedSpec, SampleSource

RawSample = Mapping[str, np.ndarray]  # feature name → raw input


@dataclass(frozen=True)
class Samples:
    """Model inputs (one tuple of arrays per sample, in input order) and optional labels."""

    inputs: tuple[tuple[np.ndarray, ...], ...]
    labels: tuple[int, ...] | None
    description: str  # where the samples came from, for the report

    def __len__(self) -> int:
        return len(self.inputs)


def _from_images(loaded: LoadedSpec, sdk: SdkContext, source: SampleSource,
                 field: str) -> list[RawSample]:
    if [i.kind for i in sdk.inputs] != ["image"]:
        raise SpecError("an images folder needs exactly one input, of kind image", field=field)
    item = sdk.inputs[0]
    kind = input_kind(item.kind)
    folder = loaded.resolve(source.images or "")
    if not folder.is_dir():
        raise SpecError(f"folder {folder} not found", field=field)
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise SpecError(f"no {'/'.join(IMAGE_SUFFIXES)} files in {folder}", field=field)
    return [{item.feature_name: kind.load_file(path, item, field=field)} for path in files]


def _from_npz(loaded: LoadedSpec, sdk: SdkContext, source: SampleSource,
              field: str) -> list[RawSample]:
    path = loaded.resolve(source.npz or "")
    if not path.is_file():
        raise SpecError(f"file {path} not found", field=field)
    features = list(sdk.feature_names[0])
    with np.load(path, allow_pickle=False) as archive:
        missing = [f for f in features if f not in archive.files]
        if missing:
            raise SpecError(f"{path.name} has arrays {sorted(archive.files)}, missing {missing}",
                            field=field)
        arrays = {f: np.asarray(archive[f]) for f in features}
    counts = {f: a.shape[0] if a.ndim else 0 for f, a in arrays.items()}
    if len(set(counts.values())) != 1:
        raise SpecError(f"arrays hold different sample counts: {counts}", field=field)
    return [{f: arrays[f][n] for f in features} for n in range(next(iter(counts.values())))]


def _as_raw_sample(item: Any, features: list[str], field: str, index: int) -> RawSample:
    if isinstance(item, RawCase):
        item = item.raw_inputs
    if isinstance(item, np.ndarray) and len(features) == 1:
        return {features[0]: item}
    if not isinstance(item, Mapping) or sorted(item) != sorted(features):
        keys = sorted(item) if isinstance(item, Mapping) else type(item).__name__
        raise SpecError(f"sample {index} is {keys}, expected a mapping with keys {features}",
                        field=field)
    return {f: np.asarray(item[f]) for f in features}


def _from_callable(
    loaded: LoadedSpec, sdk: SdkContext, source: SampleSource, field: str, *, with_labels: bool
) -> tuple[list[RawSample], list[int] | None]:
    from sdkgen.loading import import_callable

    assert source.callable is not None  # the caller picked this source
    result = import_callable(source.callable, base_dir=loaded.base_dir, field=f"{field}.callable")()
    labels = None
    if with_labels:
        if not (isinstance(result, tuple) and len(result) == 2):
            raise SpecError("expected a (samples, labels) pair; labels may be None",
                            field=f"{field}.callable")
        result, raw_labels = result
        labels = None if raw_labels is None else [int(label) for label in raw_labels]
    features = list(sdk.feature_names[0])
    samples = [_as_raw_sample(item, features, f"{field}.callable", i) for i, item in enumerate(result)]
    if labels is not None and len(labels) != len(samples):
        raise SpecError(f"{len(samples)} samples but {len(labels)} labels", field=f"{field}.callable")
    return samples, labels


def load_samples(
    loaded: LoadedSpec, sdk: SdkContext, source: SampleSource, *, field: str, with_labels: bool = False,
) -> Samples:
    """Read ``source`` and pre-process every sample into model inputs (``limit`` applied first)."""
    labels: list[int] | None = None
    if source.images is not None:
        raw, description = _from_images(loaded, sdk, source, field), f"images in {source.images}"
    elif source.npz is not None:
        raw, description = _from_npz(loaded, sdk, source, field), f"arrays in {source.npz}"
    else:
        raw, labels = _from_callable(loaded, sdk, source, field, with_labels=with_labels)
        description = f"{source.callable}()"
    if source.limit is not None:
        raw = raw[: source.limit]
        labels = labels[: source.limit] if labels is not None else None
    if not raw:
        raise SpecError("gave no samples", field=field)
    features = [i.feature_name for i in sdk.inputs]
    inputs = []
    for index, sample in enumerate(raw):
        try:
            tensors = preprocess(sdk, RawCase(name="sample", source=description, raw_inputs=sample))
        except ValueError as error:
            raise SpecError(f"sample {index}: {error}", field=field) from None
        inputs.append(tuple(tensors[f] for f in features))
    return Samples(tuple(inputs), tuple(labels) if labels is not None else None,
                   f"{len(inputs)} samples from {description}")


def as_torch(inputs: Sequence[tuple[np.ndarray, ...]]) -> list[tuple[Any, ...]]:
    import torch

    return [tuple(torch.from_numpy(np.ascontiguousarray(x)) for x in sample) for sample in inputs]


