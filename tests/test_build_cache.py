"""The build cache: verified entries, bounded size, and rebuilds that reuse exports byte for byte."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import tree_digest

from sdkgen.build_cache import BuildCache
from sdkgen.examples import example_path


def test_entries_round_trip_and_damage_is_a_miss(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    source = tmp_path / "artifact"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "weights.bin").write_bytes(b"\x00\x01" * 100)
    cache.put("exports", "k1", source, {"details": {"a": 1}})
    entry = cache.get("exports", "k1")
    assert entry is not None and entry.metadata == {"details": {"a": 1}}
    assert (entry.payload / "sub" / "weights.bin").read_bytes() == b"\x00\x01" * 100
    (entry.payload / "sub" / "weights.bin").write_bytes(b"corrupted")
    assert cache.get("exports", "k1") is None  # detected by digest...
    assert not (tmp_path / "cache" / "exports" / "k1").exists()  # ...and removed, never used
    assert cache.get("exports", "never-stored") is None


def test_the_cache_stays_within_its_bound(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache", max_bytes=2500)
    blob = tmp_path / "blob"
    blob.write_bytes(b"x" * 1000)
    for key in ("old", "middle", "new"):
        cache.put("exports", key, blob, {})
    stored = sorted(p.name for p in (tmp_path / "cache" / "exports").iterdir())
    assert "new" in stored and "old" not in stored
    total = sum(p.stat().st_size for p in (tmp_path / "cache").rglob("*") if p.is_file())
    assert total <= 2500 + 4096  # entry records and the lock file aside


def _digits_copy(folder: Path) -> Path:
    shutil.copytree(example_path("digits"), folder,
                    ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder / "sdkgen.yaml"


def _reused(out: Path) -> list[str]:
    return json.loads(out.with_name(out.name + ".timings.json").read_text())["reused_from_cache"]


@pytest.mark.slow
def test_rebuilds_reuse_exports_and_stay_byte_identical(tmp_path: Path) -> None:
    """No change: the tree is restored. A label change: exports are reused and their metadata
    rewritten, and the result equals a cold build of the changed definition, byte for byte."""
    from sdkgen.pipeline import build

    cache = BuildCache(tmp_path / "cache")
    spec = _digits_copy(tmp_path / "digits")
    first = build(spec, out_dir=tmp_path / "first", cache=cache).out_dir
    assert _reused(first) == []
    again = build(spec, out_dir=tmp_path / "again", cache=cache).out_dir
    assert _reused(again) == ["all"]
    assert tree_digest(again) == tree_digest(first)

    labels = spec.parent / "labels.txt"
    labels.write_text(labels.read_text(encoding="utf-8").replace("7", "seven"), encoding="utf-8")
    relabelled = build(spec, out_dir=tmp_path / "relabelled", cache=cache).out_dir
    assert sorted(_reused(relabelled)) == [
        "export.android", "export.ios", "verify.android", "verify.ios",
    ]
    cold = build(spec, out_dir=tmp_path / "cold", cache=None).out_dir
    assert tree_digest(relabelled) == tree_digest(cold)
    assert tree_digest(relabelled) != tree_digest(first)
    manifest = json.loads((relabelled / "golden" / "manifest.json").read_text(encoding="utf-8"))
    assert "seven" in manifest["outputs"][0]["classification"]["labels"]


def test_installed_versions_are_what_importlib_metadata_reads() -> None:
    from importlib import metadata

    from sdkgen.build_cache import installed_versions

    def normalized(name: str) -> str:
        return name.lower().replace("_", "-").replace(".", "-")

    expected = {normalized(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert installed_versions() == dict(sorted(expected.items()))
