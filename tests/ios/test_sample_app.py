"""The SwiftUI sample apps (SwiftUI does not exist on Linux: these are source checks, on top of
``swiftc -parse`` of every file in test_swift_package.py)."""

from __future__ import annotations

import re

from ios.conftest import RenderedTree


def _app_sources(tree: RenderedTree) -> dict[str, str]:
    folder = tree.root / "App" / f"{tree.sdk.type_name}Sample"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.swift"))}


def test_sample_uses_observation_not_combine(ios_tree: RenderedTree):
    sources = _app_sources(ios_tree)
    text = "\n".join(sources.values())
    assert "ObservableObject" not in text and "@Published" not in text and "@StateObject" not in text
    assert "@Observable" in sources["SampleModel.swift"]
    assert "@State private var model" in sources["ContentView.swift"]


def test_a_cancelled_classification_writes_nothing(ios_tree: RenderedTree):
    """Picking photo B while photo A is still classifying cancels A's task (`.task(id:)`); A must
    not overwrite B's result: every state write after an await is behind a cancellation check."""
    if ios_tree.sdk.task != "image_classification":
        return
    model = _app_sources(ios_tree)["SampleModel.swift"]
    body = model[model.index("func classify("):model.index("func startCamera(")]
    lines = body.splitlines()
    last_await = max(i for i, line in enumerate(lines) if "await " in line)
    writes_after = [i for i, line in enumerate(lines) if i > last_await
                    and re.search(r"\b(state|preview) = ", line)]
    assert writes_after, body
    for index in writes_after:
        guarded = "\n".join(lines[last_await:index])
        assert "Task.checkCancellation()" in guarded or "Task.isCancelled" in guarded, lines[index]
    assert "catch is CancellationError" in body
