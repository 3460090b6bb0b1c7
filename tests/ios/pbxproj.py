"""Structural checks of a generated ``project.pbxproj`` (parsed with ``openstep_plist``)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openstep_plist

OBJECT_ID = re.compile(r"[0-9A-F]{24}")
_DEFINITION = re.compile(r"^\t\t([0-9A-F]{24}) (?:/\*.*?\*/ )?= \{", re.MULTILINE)


@dataclass(frozen=True)
class Project:
    path: Path
    text: str
    document: dict[str, Any]

    @property
    def objects(self) -> dict[str, dict[str, Any]]:
        return self.document["objects"]

    @property
    def root(self) -> dict[str, Any]:
        return self.objects[self.document["rootObject"]]

    def of_isa(self, isa: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o.get("isa") == isa]


def load(path: Path) -> Project:
    text = path.read_text(encoding="utf-8")
    return Project(path=path, text=text, document=openstep_plist.loads(text))


def duplicate_ids(project: Project) -> list[str]:
    """Object IDs defined more than once (the parser would silently keep only the last)."""
    counts = Counter(_DEFINITION.findall(project.text))
    return sorted(object_id for object_id, count in counts.items() if count > 1)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def dangling_references(project: Project) -> list[str]:
    """IDs used as values (or keys, e.g. TargetAttributes) that name no object."""
    referenced = {s for o in project.objects.values() for s in _strings(o) if OBJECT_ID.fullmatch(s)}
    referenced.add(project.document["rootObject"])
    return sorted(referenced - project.objects.keys())


def local_package_directories(project: Project) -> list[Path]:
    """The directories the project's local package references resolve to."""
    base = project.path.parent.parent  # relativePath is relative to the folder of the .xcodeproj
    return [
        (base / project.objects[ref]["relativePath"]).resolve()
        for ref in project.root.get("packageReferences", [])
        if project.objects[ref]["isa"] == "XCLocalSwiftPackageReference"
    ]
