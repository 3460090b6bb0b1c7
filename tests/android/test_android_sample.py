"""``android-sample/`` is the Android tree ``sdkgen build`` makes of the realistic example."""

from __future__ import annotations

from samples import check_sample

from android.conftest import Tree, tree_or_skip

EXAMPLE = "mobilenet_v2"


def test_android_sample_matches_a_fresh_build(android_trees: dict[str, Tree]) -> None:
    check_sample("android-sample", tree_or_skip(android_trees, EXAMPLE).root)
