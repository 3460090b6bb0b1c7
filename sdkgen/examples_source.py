"""Raw example inputs: from the definition's ``examples`` (a callable or files), or seeded.

Raw values are what an app hands the SDK (RGBA8 pixels for an image input, tensors for a tensor
input); the plan's input kinds say how to make, check and read them.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from sdkgen.codegen.context import SdkContext
from sdkgen.errors import SpecError
from sdkgen.features.base import input_kind
from sdkgen.golden import RawCase, preprocess
from sdkgen.loading import import_callable
from sdkgen.spec import LoadedSpec

_CASE_NAME = re.compile(r"[a-z][a-z0-9_]*")
GENERATED_CASES = 2


def _random_case(plan: SdkContext, name: str, source: str, rng: np.random.Generator) -> RawCase:
    return RawCase(name=name, source=source, raw_inputs={
        item.source: input_kind(item.kind).random_raw(item, rng) for item in plan.app_inputs
    })


def _check_case(plan: SdkContext, case: object, index: int) -> RawCase:
    field = "examples.callable"
    if not isinstance(case, RawCase):
        raise SpecError(f"item {index} is a {type(case).__name__}, expected sdkgen.golden.RawCase",
                        field=field)
    if not _CASE_NAME.fullmatch(case.name):
        raise SpecError(f"case name {case.name!r} must match {_CASE_NAME.pattern}", field=field)
    features = [item.source for item in plan.app_inputs]
    if sorted(case.raw_inputs) != sorted(features):
        raise SpecError(
            f"case {case.name!r} has inputs {sorted(case.raw_inputs)}, expected {sorted(features)}",
            field=field,
        )
    for item in plan.app_inputs:
        problem = input_kind(item.kind).check_raw(np.asarray(case.raw_inputs[item.source]), item)
        if problem is not None:
            raise SpecError(f"case {case.name!r} input {item.feature_name!r}: {problem}", field=field)
    return case


def raw_cases(loaded: LoadedSpec, plan: SdkContext) -> list[RawCase]:
    """The examples that become golden vectors."""
    examples = loaded.spec.examples
    if examples is not None and examples.callable is not None:
        factory = import_callable(examples.callable, base_dir=loaded.base_dir,
                                  field="examples.callable")
        cases = [_check_case(plan, case, i) for i, case in enumerate(factory())]
        if not cases:
            raise SpecError("returned no examples", field="examples.callable")
        if len({c.name for c in cases}) != len(cases):
            raise SpecError("case names must be unique", field="examples.callable")
        return cases
    if examples is not None and examples.images is not None:
        item = plan.inputs[0]  # the definition allows image files for one image input only
        kind = input_kind(item.kind)
        return [
            RawCase(name=f"case_{i}", source=Path(relative).name, raw_inputs={
                item.feature_name: kind.load_file(loaded.resolve(relative), item,
                                                  field="examples.images"),
            })
            for i, relative in enumerate(examples.images)
        ]
    seed = loaded.spec.validation.seed
    rng = np.random.default_rng(seed)
    return [_random_case(plan, f"case_{n}", f"random input (seed {seed}, #{n})", rng)
            for n in range(GENERATED_CASES)]


def seeded_raw_inputs(loaded: LoadedSpec, plan: SdkContext) -> list[dict[str, np.ndarray]]:
    """``validation.seeded_inputs`` extra model inputs for parity, pre-processed like real ones."""
    rng = np.random.default_rng(loaded.spec.validation.seed + 1)
    return [preprocess(plan, _random_case(plan, f"seeded_{n}", "seeded", rng))
            for n in range(loaded.spec.validation.seeded_inputs)]
