"""Throughput of the Swift tokenizer (Linux, release build) next to the Rust `tokenizers` library.

    PYTHONPATH=. python scripts/benchmark_swift_tokenizer.py [--seconds 1.0] [--only NAME ...]

For each fixture tokenizer (``sdkgen.tokenizers.fixtures``) and each real text (English glosses and
mixed Chinese/Japanese/Korean/English prose, ``sdkgen.tokenizers.sources``) at 1x, 4x and 16x its
length (the same texts as ``scripts/bench_tokenizers.py``, the Kotlin benchmark: the first 8,000,
32,000 and 128,000 characters of the English text, distinct so that word caches do not flatter
longer inputs, and the whole ~1,600-character mixed text repeated 1, 4 and 16 times), encodes the
text (no special tokens, truncation or padding) repeatedly for at least ``--seconds`` in each
implementation and prints tokens per second. The ids of both implementations
are compared on every text. A benchmark, not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ios import fixtures as ios_fixtures  # noqa: E402
from ios.text_package import render_text_package  # noqa: E402

from sdkgen.tokenizers import sources  # noqa: E402
from sdkgen.tokenizers.fixtures import FIXTURES, produce_tokenizer  # noqa: E402

MULTIPLES = (1, 4, 16)
ENGLISH_CHARS = 8000
_RESULT = re.compile(r"tokens (\d+) seconds ([\d.e+-]+) iterations (\d+) hash (\d+)")


@dataclass(frozen=True)
class Measurement:
    tokens: int
    tokens_per_second: float
    ids_hash: int


def texts() -> dict[str, list[tuple[int, str]]]:
    english = sources.english_text()
    mixed = sources.mixed_script_text()
    return {"english": [(n, english[:ENGLISH_CHARS * n]) for n in MULTIPLES],
            "mixed-script": [(n, "\n".join([mixed] * n)) for n in MULTIPLES]}


def ids_hash(ids: list[int]) -> int:
    """31 * h + id in 32-bit arithmetic (the Swift benchmark prints the same)."""
    value = 0
    for item in ids:
        value = (31 * value + item) & 0xFFFFFFFF
    return value


def build_swift_bench(work: Path) -> Path:
    sdk = ios_fixtures.digits_sdk()
    package = render_text_package(sdk, [], work / "package")
    product = f"{sdk.type_name}TokenizerBench"
    scratch = work / "swiftpm"
    command = ["swift", "build", "-c", "release", "--product", product, "--scratch-path", str(scratch)]
    subprocess.run(command, cwd=package, check=True, capture_output=True, text=True)
    binary = subprocess.run([*command, "--show-bin-path"], cwd=package, check=True,
                            capture_output=True, text=True).stdout.strip()
    return Path(binary) / product


def measure_swift(binary: Path, tokenizer: Path, text_file: Path, seconds: float) -> Measurement:
    output = subprocess.run([str(binary), str(tokenizer), str(text_file), str(seconds)],
                            check=True, capture_output=True, text=True).stdout
    match = _RESULT.search(output)
    if match is None:
        raise RuntimeError(f"unexpected benchmark output: {output!r}")
    tokens, elapsed, iterations = int(match[1]), float(match[2]), int(match[3])
    return Measurement(tokens, tokens * iterations / elapsed, int(match[4]))


def measure_rust(tokenizer: Path, text: str, seconds: float) -> Measurement:
    from tokenizers import Tokenizer

    loaded = Tokenizer.from_file(str(tokenizer))
    loaded.no_truncation()
    loaded.no_padding()
    ids = loaded.encode(text, add_special_tokens=False).ids  # warm-up
    iterations, start = 0, time.perf_counter()
    elapsed = 0.0
    while elapsed < seconds or iterations < 3:
        loaded.encode(text, add_special_tokens=False)
        iterations += 1
        elapsed = time.perf_counter() - start
    return Measurement(len(ids), len(ids) * iterations / elapsed, ids_hash(ids))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    parser.add_argument("--only", nargs="*", default=[], help="fixture names (default: all)")
    args = parser.parse_args(argv)
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    chosen = [f for f in FIXTURES if not args.only or f.name in args.only]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        print("building the Swift benchmark (release)...", file=sys.stderr)
        binary = build_swift_bench(work)
        rows = []
        for fixture in chosen:
            tokenizer = produce_tokenizer(fixture, work)
            for text_name, variants in texts().items():
                for multiple, text in variants:
                    text_file = work / f"{text_name}-{multiple}.txt"
                    text_file.write_text(text, encoding="utf-8")
                    swift = measure_swift(binary, tokenizer, text_file, args.seconds)
                    rust = measure_rust(tokenizer, text, args.seconds)
                    if (swift.tokens, swift.ids_hash) != (rust.tokens, rust.ids_hash):
                        raise RuntimeError(f"{fixture.name} {text_name} {multiple}x: the Swift ids "
                                           "differ from the Rust ids")
                    rows.append((fixture.name, text_name, f"{multiple}x", len(text), swift.tokens,
                                 swift.tokens_per_second, rust.tokens_per_second))
                    print(f"  {fixture.name} {text_name} {multiple}x done", file=sys.stderr)
    print("| tokenizer | text | length | characters | tokens | Swift tokens/s | Rust tokens/s "
          "| Rust / Swift |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for name, text_name, multiple, characters, tokens, swift_rate, rust_rate in rows:
        print(f"| {name} | {text_name} | {multiple} | {characters:,} | {tokens:,} | "
              f"{swift_rate:,.0f} | {rust_rate:,.0f} | {rust_rate / swift_rate:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
