"""Platform trees: which template folder renders a platform, and where the build's files go in it.

Each platform module (``android.py``, ``ios.py``) registers one :class:`PlatformLayout`. Adding a
platform means a new module and a template folder, not edits here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.render import render_tree
from sdkgen.codegen.templates import template_root
from sdkgen.errors import CodegenError


@dataclass(frozen=True)
class PlatformLayout:
    name: str  # "android", "ios": also the template folder under templates/
    model_destination: Callable[[SdkContext], PurePosixPath]  # where the exported artifact goes
    golden_destinations: Callable[[SdkContext], tuple[PurePosixPath, ...]]  # copies of golden/
    # files derived from the plan and the exported artifact (digests, binary resources)
    artifact_files: Callable[[SdkContext, Path], dict[PurePosixPath, bytes]] = lambda sdk, model: {}
    # glob patterns of files inside a model artifact folder that the platform tree must not ship
    model_excludes: tuple[str, ...] = ()
    # the runtime the plan ships on this platform, where the platform has a choice: its template
    # overlay is templates/runtimes/<runtime>/<platform>/ (None: the platform's one runtime)
    runtime: Callable[[SdkContext], str | None] = lambda sdk: None


_LAYOUTS: dict[str, PlatformLayout] = {}


def register_platform(layout: PlatformLayout) -> PlatformLayout:
    if layout.name in _LAYOUTS:
        raise CodegenError(f"platform {layout.name!r} is registered twice")
    _LAYOUTS[layout.name] = layout
    return layout


def platform_layout(name: str) -> PlatformLayout:
    # import for the side effect of registration, in a fixed order
    from sdkgen.codegen import android, ios  # noqa: F401

    try:
        return _LAYOUTS[name]
    except KeyError:
        raise CodegenError(f"no platform named {name!r}; known: {sorted(_LAYOUTS)}") from None


def _copy(source: Path, target: Path, excludes: tuple[str, ...] = ()) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(*excludes) if excludes else None)
    else:
        shutil.copyfile(source, target)


def template_dirs(name: str, sdk: SdkContext) -> list[Path]:
    """The template folders of platform ``name`` for this plan, in rendering order.

    The platform's own folder first, then the runtime's (``runtimes/<runtime>/<platform>``, for a
    platform with a choice of runtime), then the shared layers the task renders
    (``layers/<layer>/<platform>``, ``Task.template_layers``), then the folder of each input and
    output kind the plan uses (``features/<kind>/<platform>``) and the kinds the task adds
    (``Task.feature_kinds``), then the task's (``tasks/<task>/<platform>``), where they exist.
    """
    from sdkgen.tasks.base import GOLDEN_MANIFEST, task_named

    root = template_root()
    task = task_named(sdk.task)
    runtime = platform_layout(name).runtime(sdk)
    kinds = dict.fromkeys([*(i.kind for i in sdk.inputs), *(o.kind for o in sdk.outputs),
                           *(task.feature_kinds if task is not None else ())])
    layers = task.template_layers if task is not None else (GOLDEN_MANIFEST,)
    candidates = [root / name, *([root / "runtimes" / runtime / name] if runtime else []),
                  *(root / "layers" / layer / name for layer in layers),
                  *(root / "features" / kind / name for kind in kinds),
                  root / "tasks" / sdk.task / name]
    return [folder for folder in candidates if folder.is_dir()]


def render_platform(name: str, sdk: SdkContext, out_dir: Path) -> list[PurePosixPath]:
    """Render every template folder of platform ``name`` for this plan into ``out_dir``."""
    platform_layout(name)
    written: list[PurePosixPath] = []
    for folder in template_dirs(name, sdk):
        written += render_tree(folder, sdk, out_dir)
    return sorted(written)


def generate_platform_tree(
    name: str, sdk: SdkContext, *, model_artifact: Path, golden_dir: Path, out_dir: Path
) -> list[PurePosixPath]:
    """Render the platform's templates into ``out_dir`` and place the model and golden vectors."""
    layout = platform_layout(name)
    written = render_platform(name, sdk, out_dir)
    model_target = layout.model_destination(sdk)
    _copy(model_artifact, out_dir / model_target, layout.model_excludes)
    written.append(model_target)
    for golden_target in layout.golden_destinations(sdk):
        _copy(golden_dir, out_dir / golden_target)
        written.append(golden_target)
    for target, content in layout.artifact_files(sdk, model_artifact).items():
        (out_dir / target).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / target).write_bytes(content)
        written.append(target)
    return sorted(written)
