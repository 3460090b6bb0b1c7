"""The build plan and the registries of kinds and tasks it is made from."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from sdkgen.codegen.platforms import template_dirs
from sdkgen.codegen.templates import template_root
from sdkgen.errors import SdkgenError
from sdkgen.features.base import input_kind, output_kind, register_input_kind
from sdkgen.plan import make_plan, with_cases, with_output_shapes
from sdkgen.spec import InputSpec, OutputSpec, load_spec
from sdkgen.tasks import task_for


def test_plan_resolves_the_signature_once(digits_spec: Path) -> None:
    loaded = load_spec(digits_spec)
    plan = make_plan(loaded, versions={"torch": "x"})
    assert plan.task == "image_classification"
    assert plan.feature_names == (("image",), ("logits",))
    (image,) = plan.inputs
    assert (image.kind, image.shape, image.dtype) == ("image", (1, 1, 8, 8), "float32")
    assert image.image is not None and image.image.mean == (0.5,)
    (logits,) = plan.outputs
    assert logits.shape == () and logits.classification is not None
    shaped = with_cases(with_output_shapes(plan, [(1, 10)]), ("case_0",))
    assert shaped.outputs[0].shape == (1, 10) and shaped.golden.case_names == ("case_0",)
    assert plan.outputs[0].shape == ()  # plans are immutable: the first one is unchanged


def test_every_declarable_kind_is_registered() -> None:
    for name in InputSpec.KINDS:
        assert input_kind(name).name == name
    for name in OutputSpec.KINDS:
        assert output_kind(name).name == name


def test_a_kind_cannot_be_registered_twice() -> None:
    with pytest.raises(SdkgenError, match="registered twice"):
        register_input_kind(input_kind("image"))


def test_tasks_are_chosen_from_the_kinds() -> None:
    assert task_for(("image",), ("classification",)).name == "image_classification"
    assert task_for(("image",), ("classification", "tensor")).name == "tensor"
    assert task_for(("tensor", "tensor"), ("tensor",)).name == "tensor"


def test_kinds_own_their_reference_processing(digits_spec: Path) -> None:
    plan = make_plan(load_spec(digits_spec))
    item = plan.inputs[0]
    rng = np.random.default_rng(0)
    raw = input_kind("image").random_raw(item, rng)
    assert input_kind("image").check_raw(raw, item) is None
    assert input_kind("image").check_raw(raw[..., :3], item) is not None  # RGBA8 only
    assert input_kind("image").check_raw(raw.astype(np.float32), item) is not None
    tensor = input_kind("image").reference(raw, item)
    assert tensor.shape == item.shape and tensor.dtype == np.float32


def test_templates_do_not_branch_on_the_task_or_the_runtime() -> None:
    """Task-specific template code lives in templates/tasks/<task>/, not behind `if sdk.task`;
    runtime-specific code in templates/runtimes/<runtime>/, not behind a runtime's name."""
    offenders = [
        path.relative_to(template_root()).as_posix()
        for path in template_root().rglob("*.jinja")
        if re.search(r"sdk\.task\s*[!=]=|runtime\.name\s*[!=]=", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_template_folders_follow_the_plan(digits_spec: Path) -> None:
    plan = make_plan(load_spec(digits_spec))
    folders = [p.relative_to(template_root()).as_posix() for p in template_dirs("android", plan)]
    assert folders[0] == "android"
    assert "tasks/image_classification/android" in folders
    for task in ("image_classification", "tensor"):
        fragments = template_root() / "tasks" / task / "fragments"
        assert fragments.is_dir(), f"task {task} has no fragments folder"


def test_golden_manifest_tests_are_a_layer_text_generation_leaves_out(digits_spec: Path) -> None:
    """The raw-tensor golden test and the on-device model test read the golden manifest that only
    inputs/outputs builds write: a shared layer every such task renders, not the platform base."""
    import dataclasses

    from sdkgen.tasks.base import GOLDEN_MANIFEST, task_named

    plan = make_plan(load_spec(digits_spec))
    layer = f"layers/{GOLDEN_MANIFEST}"
    for platform in ("android", "ios"):
        folders = [p.relative_to(template_root()).as_posix() for p in template_dirs(platform, plan)]
        assert folders[0] == platform
        assert f"{layer}/{platform}" in folders
        runtimes = [f for f in folders if f.startswith("runtimes/")]
        assert folders.index(f"{layer}/{platform}") == 1 + len(runtimes)
        generation = dataclasses.replace(plan, task="text_generation")
        folders = [p.relative_to(template_root()).as_posix()
                   for p in template_dirs(platform, generation)]
        assert f"{layer}/{platform}" not in folders and folders[-1] == f"tasks/text_generation/{platform}"
    base = [p.name for p in (template_root() / "android").rglob("*.jinja")] + \
        [p.name for p in (template_root() / "ios").rglob("*.jinja")]
    assert not [name for name in base if name.endswith(("GoldenTest.kt.jinja", "ModelTest.kt.jinja",
                                                        "GoldenTests.swift.jinja",
                                                        "ModelTests.swift.jinja"))]
    assert task_named("text_generation").template_layers == ()  # type: ignore[union-attr]
