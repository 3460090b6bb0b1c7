"""The build plan: the definition resolved once, read by every later stage and recomputed by none.

:func:`check_plan` refuses, before the model is loaded, everything about names and platform settings
that can be refused from the definition alone. :func:`make_plan` resolves the definition into a
:class:`~sdkgen.codegen.context.SdkContext` — the model's signature (inputs and outputs with their
feature names, kinds, shapes and dtypes), each feature's processing (from its kind in
:mod:`sdkgen.features`), the task (from :mod:`sdkgen.tasks`) and the platform settings. The templates
see the same object as ``sdk``. Output shapes are only known once the model has run: the pipeline
plans with the declared signature first and adds the shapes with :func:`with_output_shapes`.
"""

from __future__ import annotations

import dataclasses

from sdkgen.codegen import naming
from sdkgen.codegen.context import (
    AndroidContext,
    GoldenContext,
    InputContext,
    IosContext,
    OutputContext,
    SdkContext,
)
from sdkgen.errors import SpecError
from sdkgen.features.base import (
    declared_input,
    declared_output,
    input_kind,
    output_kind,
    output_labels,
)
from sdkgen.spec import LoadedSpec
from sdkgen.tasks import task_for

IOS_COMPUTE_UNITS = {  # definition value → MLComputeUnits case
    "all": "all",
    "cpu_only": "cpuOnly",
    "cpu_and_gpu": "cpuAndGPU",
    "cpu_and_ne": "cpuAndNeuralEngine",
}


def _unique(names: list[str], raw: list[str], group: str, what: str) -> None:
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in seen:
            first = seen[name]
            raise SpecError(
                f"{raw[index]!r} and {raw[first]!r} both become the {what} {name!r}",
                field=f"{group}[{index}].name",
                hint="rename one of them so their letters and digits differ",
            )
        seen[name] = index


def _source_names(loaded: LoadedSpec) -> list[str]:
    return [naming.snake_name(i.name, fallback="input") for i in loaded.spec.inputs]


def _feature_names(loaded: LoadedSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of the inputs and outputs inside the artifacts: unique ``snake_case`` identifiers.

    An input kind may fill several model tensors from one input (``text``: ``input_ids``,
    ``attention_mask``, ...); the input names are then those of its tensors.
    """
    spec = loaded.spec
    sources = _source_names(loaded)
    _unique(sources, [i.name for i in spec.inputs], "inputs", "feature name")
    inputs: list[str] = []
    raw: list[str] = []
    for spec_input, source in zip(spec.inputs, sources, strict=True):
        names = input_kind(spec_input.kind).feature_names(declared_input(spec_input), source)
        inputs += names
        raw += [spec_input.name if name == source else f"{spec_input.name} ({name})" for name in names]
    _unique(inputs, raw, "inputs", "feature name")
    outputs = [naming.snake_name(o.name, fallback="output") for o in spec.outputs]
    _unique(outputs, [o.name for o in spec.outputs], "outputs", "feature name")
    clash = set(inputs) & set(outputs)
    if clash:
        name = sorted(clash)[0]
        raise SpecError(
            f"an input and an output both become the feature name {name!r}",
            field=f"outputs[{outputs.index(name)}].name",
        )
    return tuple(inputs), tuple(outputs)


def check_plan(loaded: LoadedSpec) -> None:
    """Everything about names and platform settings that can be refused before loading the model."""
    from sdkgen.codegen.android_runtimes import android_runtime
    from sdkgen.tasks import task_for_definition

    own = task_for_definition(loaded)
    if own is not None and own.check is not None:  # a task with its own definition checks it
        own.check(loaded)
        return
    _feature_names(loaded)
    spec = loaded.spec
    _unique([naming.member_name(i.name, fallback="input") for i in spec.inputs],
            [i.name for i in spec.inputs], "inputs", "identifier")
    _unique([naming.member_name(o.name, fallback="output") for o in spec.outputs],
            [o.name for o in spec.outputs], "outputs", "identifier")
    android = spec.platforms.android
    runtime = android_runtime(android.runtime)
    if android.min_sdk < runtime.min_sdk_floor:
        raise SpecError(
            f"{android.min_sdk} is below {runtime.min_sdk_floor}, the minSdk of "
            f"{runtime.library.coordinates} {runtime.library.version}",
            field="platforms.android.min_sdk",
            hint=f"set min_sdk to {runtime.min_sdk_floor} or higher",
        )


def _inputs(loaded: LoadedSpec) -> tuple[InputContext, ...]:
    """One context per model tensor; an input whose kind feeds several tensors (``text``) gives
    several, each with ``source_name`` set to the input's own feature name."""
    inputs = []
    for spec_input, source in zip(loaded.spec.inputs, _source_names(loaded), strict=True):
        kind = input_kind(spec_input.kind)
        declared = declared_input(spec_input)
        tensors = kind.tensors(declared, name=spec_input.name, feature_name=source,
                               base_dir=loaded.base_dir)
        if tensors is None:
            processing = kind.context(declared)
            inputs.append(InputContext(
                name=spec_input.name,
                identifier=naming.member_name(spec_input.name, fallback="input"),
                feature_name=source, kind=spec_input.kind, shape=spec_input.tensor_shape(),
                dtype=spec_input.dtype,
                **{spec_input.kind: processing} if processing is not None else {},
            ))
            continue
        for feature, shape, dtype, processing in tensors:
            inputs.append(InputContext(
                name=feature, identifier=naming.member_name(feature, fallback="input"),
                feature_name=feature, kind=spec_input.kind, shape=shape, dtype=dtype,
                source_name=source, **{spec_input.kind: processing},
            ))
    return tuple(inputs)


def _outputs(loaded: LoadedSpec, features: tuple[str, ...],
             shapes: list[tuple[int, ...]] | None,
             input_features: tuple[str, ...]) -> tuple[OutputContext, ...]:
    outputs = []
    for index, (spec_output, feature) in enumerate(zip(loaded.spec.outputs, features, strict=True)):
        output_kind(spec_output.kind).check_inputs(declared_output(spec_output), input_features,
                                                   f"outputs[{index}]")
        decoding = output_kind(spec_output.kind).context(
            declared_output(spec_output), output_labels(loaded, spec_output)
        )
        outputs.append(OutputContext(
            name=spec_output.name, identifier=naming.member_name(spec_output.name, fallback="output"),
            feature_name=feature, kind=spec_output.kind,
            shape=tuple(shapes[index]) if shapes is not None else (),
            dtype="float32", **{spec_output.kind: decoding} if decoding is not None else {},
        ))
    return tuple(outputs)


def make_plan(
    loaded: LoadedSpec, *, output_shapes: list[tuple[int, ...]] | None = None,
    versions: dict[str, str] | None = None, case_names: tuple[str, ...] = (),
) -> SdkContext:
    """Resolve the definition into the plan (output shapes empty until :func:`with_output_shapes`)."""
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN
    from sdkgen.codegen.android_runtimes import android_runtime

    check_plan(loaded)
    spec = loaded.spec
    input_features, output_features = _feature_names(loaded)
    inputs = _inputs(loaded)
    outputs = _outputs(loaded, output_features, output_shapes, input_features)
    _unique([i.identifier for i in inputs], [i.name for i in inputs], "inputs", "identifier")
    _unique([o.identifier for o in outputs], [o.name for o in spec.outputs], "outputs", "identifier")
    task = task_for(tuple(i.kind for i in inputs), tuple(o.kind for o in outputs))
    type_name = naming.type_name(spec.name)
    snake = naming.snake_name(spec.name)
    android = spec.platforms.android
    ios = spec.platforms.ios
    golden = spec.validation.golden
    return SdkContext(
        display_name=spec.name,
        type_name=type_name,
        version=spec.version,
        author=spec.metadata.author,
        license=spec.metadata.license,
        description=spec.metadata.description,
        task=task.name,
        inputs=inputs,
        outputs=outputs,
        android=AndroidContext(
            package=android.package,
            min_sdk=android.min_sdk,
            compile_sdk=ANDROID_TOOLCHAIN.compile_sdk,
            target_sdk=ANDROID_TOOLCHAIN.target_sdk,
            module_name=naming.kebab_name(spec.name),
            model_asset=f"{snake}.{android_runtime(android.runtime).asset_extension}",
            executorch_android_version=ANDROID_TOOLCHAIN.executorch_android,
            runtime=android_runtime(android.runtime),
        ),
        ios=IosContext(
            minimum_version=ios.minimum_version,
            compute_units=IOS_COMPUTE_UNITS[ios.compute_units],  # type: ignore[arg-type]
            precision=ios.precision,
            model_resource=f"{type_name}.mlpackage",
            bundle_identifier=f"{android.package}.sample",
        ),
        golden=GoldenContext(
            directory="golden", case_names=case_names, probability_atol=golden.probability_atol,
            tensor_atol=golden.tensor_atol, model_atol=golden.model_atol,
        ),
        versions=dict(sorted((versions or {}).items())),
        spec_sha256=loaded.sha256,
    )


def with_output_shapes(plan: SdkContext, shapes: list[tuple[int, ...]]) -> SdkContext:
    """The plan with the output shapes the model really returns."""
    outputs = tuple(dataclasses.replace(o, shape=tuple(s))
                    for o, s in zip(plan.outputs, shapes, strict=True))
    return dataclasses.replace(plan, outputs=outputs)


def with_cases(plan: SdkContext, case_names: tuple[str, ...]) -> SdkContext:
    """The plan with the names of the golden cases the build writes."""
    return dataclasses.replace(plan, golden=dataclasses.replace(plan.golden, case_names=case_names))
