"""Rendering the Android tree: layout, determinism, escaping and refusals (no external tools)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path, PurePosixPath

import pytest

from android.fixtures import HOSTILE_LABELS, Fixture, fixtures, write_fixture_golden
from sdkgen.codegen.android import ANDROID_TOOLCHAIN, check_android_context
from sdkgen.codegen.platforms import generate_platform_tree
from sdkgen.errors import CodegenError


def _render(fixture: Fixture, root: Path) -> tuple[Path, list[PurePosixPath]]:
    golden = root / "golden"
    write_fixture_golden(fixture, golden)
    model = root / "model.pte"
    model.write_bytes(b"program bytes")
    out = root / "android"
    return out, generate_platform_tree("android", fixture.sdk, model_artifact=model,
                                       golden_dir=golden, out_dir=out)


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def all_fixtures() -> dict[str, Fixture]:
    return fixtures()


def test_model_and_golden_vectors_land_where_gradle_reads_them(all_fixtures, tmp_path: Path) -> None:
    fixture = all_fixtures["digits"]
    out, written = _render(fixture, tmp_path)
    module = PurePosixPath(fixture.sdk.android.module_name)
    asset = module / "src/main/assets" / fixture.sdk.android.model_asset
    assert asset in written
    assert (out / asset).read_bytes() == b"program bytes"
    for golden in (module / "src/test/resources/golden", module / "src/androidTest/assets/golden"):
        assert golden in written
        assert _digest(out / golden) == _digest(tmp_path / "golden")
    assert (out / "settings.gradle.kts").read_text().count('include(":digit-classifier")') == 1


def test_rendering_is_deterministic(all_fixtures, tmp_path: Path) -> None:
    first, _ = _render(all_fixtures["hostile"], tmp_path / "a")
    second, _ = _render(all_fixtures["hostile"], tmp_path / "b")
    assert _digest(first) == _digest(second)
    for path in first.rglob("*"):
        if path.is_file() and path.suffix in {".kt", ".kts", ".md", ".xml", ".toml"}:
            text = path.read_text(encoding="utf-8")
            assert str(tmp_path) not in text
            assert "TODO" not in text


def test_hostile_strings_never_reach_code_raw(all_fixtures, tmp_path: Path) -> None:
    out, _ = _render(all_fixtures["hostile"], tmp_path)
    sources = "\n".join(p.read_text(encoding="utf-8") for p in out.rglob("*.kt"))
    for label in HOSTILE_LABELS:
        if any(c in label for c in '"\\$\n') or not label.isascii():
            assert f'"{label}"' not in sources, label
    manifest = json.loads((out / "object/src/test/resources/golden/manifest.json").read_text("utf-8"))
    assert manifest["outputs"][0]["classification"]["labels"] == list(HOSTILE_LABELS)
    assert "package io.sdkgen.tests.`fun`.`is`" in sources


def test_min_sdk_below_the_runtime_floor_is_refused(all_fixtures) -> None:
    sdk = all_fixtures["digits"].sdk
    low = dataclasses.replace(sdk, android=dataclasses.replace(
        sdk.android, min_sdk=ANDROID_TOOLCHAIN.min_sdk_floor - 1))
    with pytest.raises(CodegenError, match="min_sdk"):
        check_android_context(low)
    check_android_context(sdk)


def test_library_module_may_not_shadow_the_sample(all_fixtures) -> None:
    sdk = all_fixtures["digits"].sdk
    clash = dataclasses.replace(sdk, android=dataclasses.replace(sdk.android, module_name="sample"))
    with pytest.raises(CodegenError, match="sample"):
        check_android_context(clash)


def test_float32_literals_are_the_float32_of_the_value() -> None:
    """``kotlin_float32`` prints exactly ``np.float32(value)``, the float the reference uses."""
    import numpy as np

    from sdkgen.codegen.environment import FILTERS

    literal = FILTERS["kotlin_float32"]
    rng = np.random.default_rng(7)
    values = [0.00392156862745098, 1 / 255, 0.485, 0.229, 1e-8, 3.4e38, -2.0, 0.0,
              *rng.standard_normal(500), *(rng.random(500) * 1e-6)]
    for value in values:
        text = literal(float(value))
        assert text.endswith("f")
        assert np.float32(text[:-1]) == np.float32(value), (value, text)
        assert any(c in text for c in ".e"), text


def test_kotlin_package_backticks_only_hard_keywords() -> None:
    from sdkgen.codegen.naming import kotlin_package

    assert kotlin_package("io.sdkgen.tests.fun.is") == "io.sdkgen.tests.`fun`.`is`"
    assert kotlin_package("com.example.data.value") == "com.example.data.value"


def _sample_file(out: Path, name: str) -> str:
    (path,) = (out / "sample/src/main").rglob(name)
    return path.read_text(encoding="utf-8")


def test_image_sample_has_a_live_camera_and_decodes_photos_upright(all_fixtures, tmp_path: Path) -> None:
    """The classifier's sample runs CameraX analysis and decodes picked photos with ImageDecoder;
    the raw-tensor sample asks for no camera (the compile test checks the calls type-check)."""
    classifier, _ = _render(all_fixtures["pets"], tmp_path / "pets")
    manifest = _sample_file(classifier, "AndroidManifest.xml")
    assert '<uses-permission android:name="android.permission.CAMERA" />' in manifest
    assert 'android:name="android.hardware.camera.any"' in manifest
    assert 'android:required="false"' in manifest
    activity = _sample_file(classifier, "MainActivity.kt")
    for call in ("ImageAnalysis.STRATEGY_KEEP_ONLY_LATEST", "bindToLifecycle(", "preprocessPhoto(frame)",
                 "invokeOnCompletion { frame.close() }", "ImageDecoder.decodeBitmap(",
                 "decoder.setTargetSize(", "ImageDecoder.ALLOCATOR_SOFTWARE"):
        assert call in activity, call
    # pets: center_crop with resize_shorter 6, so photos are never decoded below 6 pixels short side
    assert "const val MIN_SHORTER_SIDE: Int = 6" in activity
    scorer, _ = _render(all_fixtures["scorer"], tmp_path / "scorer")
    assert "android.permission.CAMERA" not in _sample_file(scorer, "AndroidManifest.xml")
