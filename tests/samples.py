"""``android-sample/`` and ``ios-sample/``: the generated trees of the realistic example, in git.

Model artifacts and golden binaries are large (the MobileNetV2 ``.pte`` is 14 MB), so git keeps
everything else (see .gitignore) and the README's first command copies the full trees in with
``scripts/sync-samples.sh``. The sample tests compare every other file byte for byte with a fresh
build. ``SDKGEN_UPDATE_SAMPLES=1`` refreshes a sample from the fresh build instead of failing.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# Kept out of git (mirrors .gitignore): produced by `sdkgen build`, copied in by sync-samples.sh.
NOT_IN_GIT = ("*.pte", "*.pte.sha256", "*.mlpackage/*", "*/golden/*.raw", "*/golden/*.tensor")


def _tracked_files(root: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and not any(fnmatch.fnmatch(relative, p) for p in NOT_IN_GIT):
            files[relative] = path.read_bytes()
    return files


def check_sample(sample_name: str, fresh_tree: Path) -> None:
    """Assert ``REPO/sample_name`` equals ``fresh_tree`` in every file git keeps."""
    sample = REPO / sample_name
    if os.environ.get("SDKGEN_UPDATE_SAMPLES") == "1":
        shutil.rmtree(sample, ignore_errors=True)
        shutil.copytree(fresh_tree, sample)
    built = _tracked_files(fresh_tree)
    kept = _tracked_files(sample) if sample.is_dir() else {}
    missing = sorted(built.keys() - kept.keys())
    extra = sorted(kept.keys() - built.keys())
    changed = sorted(p for p in built.keys() & kept.keys() if built[p] != kept[p])
    assert (missing, extra, changed) == ([], [], []), (
        f"{sample_name}/ differs from a fresh build of the mobilenet_v2 example "
        f"(missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]}); refresh it with "
        "SDKGEN_UPDATE_SAMPLES=1 bash scripts/test.sh -k sample, or with scripts/sync-samples.sh"
    )
