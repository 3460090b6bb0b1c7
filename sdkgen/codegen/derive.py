"""Derive the template context (:class:`SdkContext`) from a validated definition."""

from __future__ import annotations

from sdkgen.codegen import naming
from sdkgen.codegen.context import (
    AndroidContext,
    ClassificationContext,
    GoldenContext,
    ImageContext,
    InputContext,
    IosContext,
    OutputContext,
    SdkContext,
)
from sdkgen.errors import SpecError
from sdkgen.spec import ImageInput, LoadedSpec

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


def feature_names(loaded: LoadedSpec) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Names of the inputs and outputs inside the artifacts: unique ``snake_case`` identifiers."""
    spec = loaded.spec
    inputs = [naming.snake_name(i.name, fallback="input") for i in spec.inputs]
    outputs = [naming.snake_name(o.name, fallback="output") for o in spec.outputs]
    _unique(inputs, [i.name for i in spec.inputs], "inputs", "feature name")
    _unique(outputs, [o.name for o in spec.outputs], "outputs", "feature name")
    clash = set(inputs) & set(outputs)
    if clash:
        name = sorted(clash)[0]
        raise SpecError(
            f"an input and an output both become the feature name {name!r}",
            field=f"outputs[{outputs.index(name)}].name",
        )
    return tuple(inputs), tuple(outputs)


def image_context(declared: ImageInput) -> ImageContext:
    """The pre-processing of a declared image input, with defaults resolved."""
    return ImageContext(
        width=declared.width, height=declared.height, color=declared.color,
        layout=declared.layout, channels=declared.channels, scale=declared.scale,
        mean=declared.resolved_mean(), std=declared.resolved_std(),
    )


def check_plan(loaded: LoadedSpec) -> None:
    """Everything about names and platform settings that can be refused before loading the model."""
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN

    feature_names(loaded)
    spec = loaded.spec
    _unique([naming.member_name(i.name, fallback="input") for i in spec.inputs],
            [i.name for i in spec.inputs], "inputs", "identifier")
    _unique([naming.member_name(o.name, fallback="output") for o in spec.outputs],
            [o.name for o in spec.outputs], "outputs", "identifier")
    android = spec.platforms.android
    if android.min_sdk < ANDROID_TOOLCHAIN.min_sdk_floor:
        raise SpecError(
            f"{android.min_sdk} is below {ANDROID_TOOLCHAIN.min_sdk_floor}, the minSdk of "
            f"org.pytorch:executorch-android {ANDROID_TOOLCHAIN.executorch_android}",
            field="platforms.android.min_sdk",
            hint=f"set min_sdk to {ANDROID_TOOLCHAIN.min_sdk_floor} or higher",
        )


def derive_context(
    loaded: LoadedSpec, *, output_shapes: list[tuple[int, ...]], versions: dict[str, str],
    case_names: tuple[str, ...],
) -> SdkContext:
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN

    spec = loaded.spec
    input_features, output_features = feature_names(loaded)
    inputs = []
    for spec_input, feature in zip(spec.inputs, input_features, strict=True):
        image = image_context(spec_input.image) if spec_input.image is not None else None
        inputs.append(InputContext(
            name=spec_input.name, identifier=naming.member_name(spec_input.name, fallback="input"),
            feature_name=feature, kind=spec_input.kind, shape=spec_input.tensor_shape(),
            dtype=spec_input.dtype, image=image,
        ))
    outputs = []
    for output, feature, shape in zip(spec.outputs, output_features, output_shapes, strict=True):
        classification = None
        if output.classification is not None:
            classification = ClassificationContext(
                labels=loaded.labels[output.name], softmax=output.classification.softmax,
                top_k=min(output.classification.top_k, len(loaded.labels[output.name])),
            )
        outputs.append(OutputContext(
            name=output.name, identifier=naming.member_name(output.name, fallback="output"),
            feature_name=feature, kind=output.kind, shape=tuple(shape), dtype="float32",
            classification=classification,
        ))
    _unique([i.identifier for i in inputs], [i.name for i in spec.inputs], "inputs", "identifier")
    _unique([o.identifier for o in outputs], [o.name for o in spec.outputs], "outputs", "identifier")
    is_classifier = [i.kind for i in inputs] == ["image"] and [o.kind for o in outputs] == [
        "classification"
    ]
    type_name = naming.type_name(spec.name)
    snake = naming.snake_name(spec.name)
    android = spec.platforms.android
    ios = spec.platforms.ios
    golden = spec.validation.golden
    check_plan(loaded)
    return SdkContext(
        display_name=spec.name,
        type_name=type_name,
        version=spec.version,
        author=spec.metadata.author,
        license=spec.metadata.license,
        description=spec.metadata.description,
        task="image_classification" if is_classifier else "tensor",
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        android=AndroidContext(
            package=android.package,
            min_sdk=android.min_sdk,
            compile_sdk=ANDROID_TOOLCHAIN.compile_sdk,
            target_sdk=ANDROID_TOOLCHAIN.target_sdk,
            module_name=naming.kebab_name(spec.name),
            model_asset=f"{snake}.pte",
            executorch_android_version=ANDROID_TOOLCHAIN.executorch_android,
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
        versions=dict(sorted(versions.items())),
        spec_sha256=loaded.sha256,
    )
