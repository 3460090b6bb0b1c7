"""The :class:`~sdkgen.codegen.context.SdkContext` of a text-generation build: what its templates see.

The platform templates, the text feature (the tokenizer) and the ``text_generation`` overlay render
from this one object, as every other task's do. The model's own signature is the KV-cache one the
runtimes call (``tokens`` and ``input_pos`` in, last-token ``logits`` out, raw tensors); everything
generation-specific is in ``sdk.generation`` (the plan's :class:`GenerationContext`).
"""

from __future__ import annotations

from sdkgen.codegen import naming
from sdkgen.codegen.context import (
    AndroidContext,
    GoldenContext,
    InputContext,
    IosContext,
    OutputContext,
    SdkContext,
)
from sdkgen.llm.plan import GenerationPlan
from sdkgen.spec import GoldenTolerance

TASK = "text_generation"


def _tensor_input(name: str, shape: tuple[int, ...]) -> InputContext:
    return InputContext(name=name, identifier=naming.member_name(name), feature_name=name,
                        kind="tensor", shape=shape, dtype="int64")


def generation_sdk_context(plan: GenerationPlan, versions: dict[str, str]) -> SdkContext:
    """The plan as the templates read it (``sdk``), with ``sdk.generation`` = ``plan.context``."""
    from sdkgen.codegen.android import ANDROID_TOOLCHAIN
    from sdkgen.plan import IOS_COMPUTE_UNITS

    spec = plan.spec
    android = spec.platforms.android
    ios = spec.platforms.ios
    context = plan.context
    tolerance = GoldenTolerance()
    return SdkContext(
        display_name=plan.display_name,
        type_name=plan.type_name,
        version=spec.version,
        author=spec.metadata.author,
        license=spec.metadata.license,
        description=spec.metadata.description,
        task=TASK,
        inputs=(_tensor_input("tokens", (1, context.android.max_prefill_tokens)),
                _tensor_input("input_pos", (1,))),
        outputs=(OutputContext(name="logits", identifier="logits", feature_name="logits",
                               kind="tensor", shape=(1, context.vocab_size), dtype="float32"),),
        android=AndroidContext(
            package=android.package,
            min_sdk=android.min_sdk,
            compile_sdk=ANDROID_TOOLCHAIN.compile_sdk,
            target_sdk=ANDROID_TOOLCHAIN.target_sdk,
            module_name=naming.kebab_name(spec.name),
            model_asset=plan.pte_asset,
            executorch_android_version=ANDROID_TOOLCHAIN.executorch_android,
        ),
        ios=IosContext(
            minimum_version=ios.minimum_version,  # >= 18.0: checked by the definition (MLState)
            compute_units=IOS_COMPUTE_UNITS[ios.compute_units],  # type: ignore[arg-type]
            precision=ios.precision,
            model_resource=plan.mlpackage,
            bundle_identifier=f"{android.package}.sample",
        ),
        golden=GoldenContext(
            directory="golden", case_names=(), probability_atol=tolerance.probability_atol,
            tensor_atol=tolerance.tensor_atol, model_atol=tolerance.model_atol,
        ),
        versions=dict(sorted(versions.items())),
        spec_sha256=plan.spec_sha256,
        generation=context,
    )
