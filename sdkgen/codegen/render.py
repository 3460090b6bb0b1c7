"""Render a template tree into a directory.

Files ending in ``.jinja`` are rendered (the suffix dropped); every other file is copied byte for
byte. Path segments are templates too (``{{ sdk.type_name }}.kt.jinja``). A rendered path that is
empty, absolute or escapes the output root is refused.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.environment import make_environment
from sdkgen.codegen.templates import template_root
from sdkgen.errors import CodegenError

TEMPLATE_SUFFIX = ".jinja"


def _rendered_relative_path(
    env_render: Callable[[str], str], template_relative: PurePosixPath
) -> PurePosixPath:
    """Render each segment; a segment may expand to several (``{{ package | package_path }}``)."""
    parts: list[str] = []
    for segment in template_relative.parts:
        parts.extend(env_render(segment).split("/"))
    if parts and parts[-1].endswith(TEMPLATE_SUFFIX):
        parts[-1] = parts[-1][: -len(TEMPLATE_SUFFIX)]
    for part in parts:
        if part in ("", ".", "..") or "\\" in part or "\0" in part:
            raise CodegenError(
                f"template path {template_relative} renders to an unsafe segment {part!r}"
            )
    return PurePosixPath(*parts)


def render_tree(template_dir: Path, sdk: SdkContext, out_dir: Path) -> list[PurePosixPath]:
    """Render every file under ``template_dir`` into ``out_dir``; return the written paths, sorted.

    Templates load by their path under sdkgen's template folder, so a template can include
    fragments from anywhere in it (``{% include sdk.fragment(...) %}``). A file that another
    folder already rendered into ``out_dir`` is an error: overlays add files, never replace them.
    """
    loader_root = template_root() if template_dir.is_relative_to(template_root()) else template_dir
    env = make_environment(loader_root)

    def render_string(text: str) -> str:
        return env.from_string(text).render(sdk=sdk)

    written: list[PurePosixPath] = []
    for source in sorted(p for p in template_dir.rglob("*") if p.is_file()):
        relative = PurePosixPath(source.relative_to(template_dir).as_posix())
        name = source.relative_to(loader_root).as_posix()
        target_relative = _rendered_relative_path(render_string, relative)
        target = out_dir.joinpath(*target_relative.parts)
        if target.exists():
            raise CodegenError(f"two templates render to the same file {target_relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.name.endswith(TEMPLATE_SUFFIX):
            try:
                text = env.get_template(name).render(sdk=sdk)
            except Exception as error:  # jinja2 errors carry the template line
                raise CodegenError(f"rendering {relative} failed: {error}") from error
            target.write_text(text, encoding="utf-8", newline="\n")
        else:
            shutil.copyfile(source, target)
        written.append(target_relative)
    return written
