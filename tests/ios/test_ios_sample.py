"""``ios-sample/`` is the iOS tree ``sdkgen build`` makes of the realistic example."""

from __future__ import annotations

import pytest
from samples import check_sample

from ios.conftest import SAMPLE_EXAMPLE, example_tree


@pytest.mark.slow
def test_ios_sample_matches_a_fresh_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    check_sample("ios-sample", example_tree(SAMPLE_EXAMPLE, tmp_path_factory).root)
