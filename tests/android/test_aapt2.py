"""Every generated AndroidManifest.xml and resource links with aapt2 against the platform."""

from __future__ import annotations

import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from android.conftest import EXAMPLES, FIXTURES, TEXT_TREES, Tree, aapt2_link, require_aapt2, tree_or_skip

TREES = [*FIXTURES, *TEXT_TREES, *EXAMPLES]
ANDROID = "{http://schemas.android.com/apk/res/android}"




@pytest.mark.parametrize("name", TREES)
def test_manifests_and_resources_link(android_trees: dict[str, Tree], name: str, tmp_path: Path) -> None:
    framework = require_aapt2()
    tree = tree_or_skip(android_trees, name)
    manifests = sorted(tree.root.rglob("AndroidManifest.xml"))
    modules = [tree.library, tree.sample]
    assert manifests == sorted(m / "src/main/AndroidManifest.xml" for m in modules)
    for index, module in enumerate(modules):
        start = time.monotonic()
        result = aapt2_link(tree, module, tmp_path / str(index), framework)
        print(f"aapt2 link {module.relative_to(tree.root)}: exit {result.returncode}, "
              f"{time.monotonic() - start:.2f} s {result.stderr.strip()}")
        assert result.returncode == 0, result.stderr
        assert "warn" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("name", TREES)
def test_sample_app_name_round_trips_through_aapt2(android_trees: dict[str, Tree], name: str,
                                                   tmp_path: Path) -> None:
    framework = require_aapt2()
    tree = tree_or_skip(android_trees, name)
    result = aapt2_link(tree, tree.sample, tmp_path, framework)
    assert result.returncode == 0, result.stderr
    dump = subprocess.run(["aapt2", "dump", "resources", str(tmp_path / "linked.apk")],
                          capture_output=True, text=True, check=True).stdout.splitlines()
    value = dump[dump.index(next(line for line in dump if line.endswith(" string/app_name"))) + 1]
    assert value.strip() == f'() "{tree.manifest["model"]}"'


def test_launcher_activity_is_exported(android_trees: dict[str, Tree]) -> None:
    for tree in android_trees.values():
        root = ET.parse(tree.sample / "src/main/AndroidManifest.xml").getroot()
        activities = root.findall("application/activity")
        launchers = [
            a for a in activities
            if any(c.get(f"{ANDROID}name") == "android.intent.category.LAUNCHER"
                   for c in a.iter("category"))
        ]
        assert len(launchers) == 1
        assert launchers[0].get(f"{ANDROID}exported") == "true"
        assert launchers[0].get(f"{ANDROID}name") == ".MainActivity"
