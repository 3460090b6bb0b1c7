"""The build cache: finished build trees and exported artifacts, keyed by everything that shapes them.

Two kinds of entry live under the cache folder (``$SDKGEN_BUILD_CACHE``, default
``~/.cache/sdkgen/build-cache``):

- ``trees/<key>``: a whole finished build, keyed by the definition and every file it names, the
  model's and the examples' source files, sdkgen's own source and templates, the versions of every
  installed distribution, and the requested platforms. A hit restores the tree without importing
  torch.
- ``exports/<key>``: one platform's exported artifact with its export details and verification
  figures, keyed by what can change the artifact (model source, weights, the export-relevant part of
  the definition, the platform's settings, versions, sdkgen's source). A change of labels, metadata
  or templates keeps this key, so only golden vectors, metadata, rendering and the report run again.

Every entry records the SHA-256 of each of its files; a read re-checks them, and an entry that does
not match (a corrupted or half-deleted cache) is removed and rebuilt, never used. Entries are
written to a temporary folder and renamed into place, so two concurrent builds never see half an
entry. The cache is bounded (``$SDKGEN_BUILD_CACHE_MAX_BYTES``, default 4 GB): after a write, the
least recently used entries are removed until it fits.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEY_VERSION = "1"
DEFAULT_MAX_BYTES = 4_000_000_000
_ENTRY_FILE = "entry.json"
_PAYLOAD = "payload"


def default_cache_dir() -> Path:
    configured = os.environ.get("SDKGEN_BUILD_CACHE")
    if configured:
        return Path(configured).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sdkgen" / "build-cache"


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def tree_digests(root: Path) -> dict[str, str]:
    """Relative POSIX path → SHA-256 of every file under ``root`` (or of ``root`` itself)."""
    if root.is_file():
        return {"": _file_digest(root)}
    return {p.relative_to(root).as_posix(): _file_digest(p) for p in _tree_files(root)}


class KeyBuilder:
    """Accumulates named parts into one cache key (a SHA-256 hex digest)."""

    def __init__(self, kind: str) -> None:
        self._digest = hashlib.sha256(f"sdkgen-cache {KEY_VERSION} {kind}\0".encode())

    def text(self, name: str, value: str) -> KeyBuilder:
        self._digest.update(f"{name}\0{len(value)}\0{value}\0".encode())
        return self

    def json(self, name: str, value: Any) -> KeyBuilder:
        return self.text(name, json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))

    def file(self, name: str, path: Path) -> KeyBuilder:
        return self.text(name, f"{path.name}:{_file_digest(path)}" if path.is_file() else "missing")

    def files(self, name: str, paths: Iterable[Path]) -> KeyBuilder:
        for path in sorted(set(paths)):
            self.file(name, path)
        return self

    def tree(self, name: str, root: Path) -> KeyBuilder:
        return self.json(name, tree_digests(root) if root.exists() else "missing")

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def installed_versions() -> dict[str, str]:
    """Every installed distribution and its version (a new wheel can change an artifact).

    Read from the ``<name>-<version>.dist-info`` folder names on ``sys.path`` (first one wins, as
    for imports) instead of parsing every distribution's METADATA: the same facts in milliseconds
    rather than most of a second, which a no-change rebuild cannot afford.
    """
    versions: dict[str, str] = {}
    for entry in sys.path:
        folder = Path(entry or ".")
        if not folder.is_dir():
            continue
        for child in sorted(os.listdir(folder)):
            stem, dot, suffix = child.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            name, _, rest = stem.partition("-")
            if not rest:  # a development checkout's bare `<name>.egg-info`: no version in the name
                continue
            version = rest.split("-")[0]
            versions.setdefault(name.lower().replace("_", "-").replace(".", "-"), version)
    return dict(sorted(versions.items()))


def sdkgen_source_files() -> list[Path]:
    """sdkgen's own Python files: a change to the code that exports is a change to the artifact."""
    package = Path(__file__).resolve().parent
    return sorted(package.rglob("*.py"))


def module_files(reference: str, base_dir: Path) -> list[Path]:
    """The source file of ``package.module:attr``'s module and the ``.py`` files beside it.

    Found without importing the module (its parent packages may be imported). A model's helpers
    usually sit next to it; code elsewhere is covered by the installed versions.
    """
    module_name = reference.partition(":")[0]
    added = str(base_dir) not in sys.path
    if added:
        sys.path.insert(0, str(base_dir))
    try:
        found = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        found = None
    finally:
        if added:
            sys.path.remove(str(base_dir))
    origin = Path(found.origin) if found is not None and found.origin else None
    if origin is None or not origin.is_file():
        return []
    return sorted({origin, *origin.parent.glob("*.py")})


@dataclass(frozen=True)
class CacheEntry:
    """A verified entry: its payload folder and the metadata stored with it."""

    path: Path
    metadata: dict[str, Any]

    @property
    def payload(self) -> Path:
        return self.path / _PAYLOAD


class BuildCache:
    """A folder of verified entries (see the module docstring)."""

    def __init__(self, root: Path | None = None, *, max_bytes: int | None = None) -> None:
        self.root = (root or default_cache_dir()).resolve()
        configured = os.environ.get("SDKGEN_BUILD_CACHE_MAX_BYTES")
        self.max_bytes = max_bytes if max_bytes is not None else (
            int(configured) if configured else DEFAULT_MAX_BYTES
        )

    def _entry_dir(self, kind: str, key: str) -> Path:
        return self.root / kind / key

    def get(self, kind: str, key: str) -> CacheEntry | None:
        """The entry, if present and intact; a damaged entry is removed and reported as a miss."""
        folder = self._entry_dir(kind, key)
        record = folder / _ENTRY_FILE
        if not record.is_file():
            return None
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
            files = stored["files"]
            intact = tree_digests(folder / _PAYLOAD) == files if (folder / _PAYLOAD).exists() \
                else files == {}
        except (OSError, ValueError, KeyError, TypeError):
            intact = False
        if not intact:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)  # least recently used is evicted first
        return CacheEntry(folder, stored.get("metadata", {}))

    def put(self, kind: str, key: str, source: Path | None, entry_metadata: dict[str, Any]) -> None:
        """Store a copy of ``source`` (a file or folder, or nothing) under ``key``; best effort."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / kind).mkdir(exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=self.root / kind))
        except OSError:
            return  # a cache that cannot be written is no reason to fail a build
        try:
            if source is not None:
                if source.is_dir():
                    shutil.copytree(source, staging / _PAYLOAD)
                else:
                    (staging / _PAYLOAD).mkdir()
                    shutil.copyfile(source, staging / _PAYLOAD / source.name)
            files = tree_digests(staging / _PAYLOAD) if (staging / _PAYLOAD).exists() else {}
            (staging / _ENTRY_FILE).write_text(
                json.dumps({"files": files, "metadata": entry_metadata, "key": key}, indent=1,
                           sort_keys=True) + "\n", encoding="utf-8")
            # atomic; fails harmlessly when a concurrent build stored the same key first
            with contextlib.suppress(OSError):
                staging.rename(self._entry_dir(kind, key))
        except OSError:
            pass  # a full disk or a vanished cache folder costs the entry, not the build
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._evict()

    def _entries(self) -> Iterator[Path]:
        for kind in (p for p in self.root.iterdir() if p.is_dir()):
            yield from (p for p in kind.iterdir() if p.is_dir() and not p.name.startswith("."))

    def _evict(self) -> None:
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.root / ".evict.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return  # another build is evicting
        try:
            entries = []
            for entry in self._entries():
                try:
                    size = sum(p.stat().st_size for p in entry.rglob("*") if p.is_file())
                    entries.append((entry.stat().st_mtime, size, entry))
                except OSError:
                    continue
            total = sum(size for _, size, _ in entries)
            for _, size, entry in sorted(entries, key=lambda item: item[0]):
                if total <= self.max_bytes:
                    break
                shutil.rmtree(entry, ignore_errors=True)
                total -= size
            now = time.time()
            for kind in (p for p in self.root.iterdir() if p.is_dir()):
                for stale in kind.glob(".*"):  # staging folders of builds that died
                    with contextlib.suppress(OSError):
                        if now - stale.stat().st_mtime > 3600:
                            shutil.rmtree(stale, ignore_errors=True)
        finally:
            lock.release()
