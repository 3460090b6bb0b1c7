"""Tokenizer throughput: the generated Kotlin tokenizer (JVM) next to the Rust `tokenizers` library.

    PYTHONPATH=$PWD .venv/bin/python scripts/bench_tokenizers.py [--seconds 1.0] [--only NAME ...]

A benchmark, not a test: it renders and compiles the Kotlin tokenizer templates, then encodes a
real English text (WordNet glosses shipped by `timm`) and a real mixed-script text (Chinese,
Japanese and Korean prose with English, from CPython's codec tests) at 1x, 4x and 16x their length
with every fixture tokenizer, and prints tokens per second. The ids of both implementations are compared on
every text, so the figures are for identical work. Both run on one thread; the JVM is warmed up
first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from android import toolchain  # noqa: E402
from text_tokenizer import kotlin_build  # noqa: E402

from sdkgen.tokenizers import sources  # noqa: E402
from sdkgen.tokenizers.fixtures import FIXTURES, produce_tokenizer  # noqa: E402

SCALES = (1, 4, 16)
ENGLISH_CHARS = 8000

BENCH_KT = """package {package}.tokenizer

import java.io.File

/** args: tokenizer.json, seconds, then text files; prints "tokens seconds ids-hash" per text. */
public fun main(args: Array<String>) {{
    val tokenizer = Tokenizer.fromFile(File(args[0]), EncodingOptions())
    val seconds = args[1].toDouble()
    val texts = args.drop(2).map {{ File(it).readText(Charsets.UTF_8) }}
    val warmUp = System.nanoTime()
    while (System.nanoTime() - warmUp < 3_000_000_000L) for (text in texts) tokenizer.encode(text)
    for (text in texts) {{
        var runs = 0
        var tokens = 0
        var ids = IntArray(0)
        val start = System.nanoTime()
        while (runs == 0 || System.nanoTime() - start < seconds * 1e9) {{
            ids = tokenizer.encode(text).ids
            tokens += ids.size
            runs++
        }}
        val elapsed = (System.nanoTime() - start) / 1e9
        println("${{tokens}} ${{elapsed}} ${{ids.contentHashCode()}}")
    }}
}}
"""


def _texts() -> dict[str, str]:
    """English: the first 1x, 4x, 16x ENGLISH_CHARS of the glosses (distinct text, so word caches
    do not flatter longer inputs); mixed: the whole text repeated (it is only ~1,600 characters)."""
    english = sources.english_text()
    mixed = sources.mixed_script_text()
    texts = {f"english {scale}x": english[:ENGLISH_CHARS * scale] for scale in SCALES}
    texts.update({f"mixed {scale}x": "\n".join([mixed] * scale) for scale in SCALES})
    return texts


def _java_hash(ids: Sequence[int]) -> int:
    """``IntArray.contentHashCode()``: 31 * h + v in 32-bit arithmetic."""
    value = 1
    for item in ids:
        value = (31 * value + item) & 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def _rust(tokenizer_file: Path, text: str, seconds: float) -> tuple[float, list[int]]:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    ids = tokenizer.encode(text).ids
    runs, tokens, start = 0, 0, time.perf_counter()
    while runs == 0 or time.perf_counter() - start < seconds:
        tokens += len(tokenizer.encode(text).ids)
        runs += 1
    return tokens / (time.perf_counter() - start), ids


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    parser.add_argument("--only", nargs="*", default=[], help="fixture names (default: all)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        module, package = kotlin_build.render(work / "rendered")
        bench = module / "src/main/java" / package.replace(".", "/") / "tokenizer" / "Bench.kt"
        bench.write_text(BENCH_KT.format(package=package), encoding="utf-8")
        print("compiling the Kotlin tokenizer ...", file=sys.stderr)
        built = kotlin_build.compile_module(module, package, work)
        texts = _texts()
        paths = []
        for index, text in enumerate(texts.values()):
            paths.append(work / f"text{index}.txt")
            paths[-1].write_text(text, encoding="utf-8")
        print(f"{'tokenizer':18} {'text':12} {'chars':>7} {'tokens':>7} {'Rust tok/s':>12} "
              f"{'Kotlin tok/s':>13} {'Rust/Kotlin':>11}")
        for fixture in FIXTURES:
            if args.only and fixture.name not in args.only:
                continue
            tokenizer_file = produce_tokenizer(fixture, work)
            result = toolchain.java(f"{package}.tokenizer.BenchKt",
                                    [str(tokenizer_file), str(args.seconds), *map(str, paths)],
                                    classpath=[built.main, *built.classpath])
            if result.returncode != 0:
                raise SystemExit(f"the Kotlin benchmark failed:\n{result.stderr}")
            for (label, text), line in zip(texts.items(), result.stdout.split("\n"), strict=False):
                tokens, seconds, digest = line.split()
                kotlin_rate = int(tokens) / float(seconds)
                rust_rate, ids = _rust(tokenizer_file, text, args.seconds)
                same = "" if _java_hash(ids) == int(digest) else "  IDS DIFFER"
                print(f"{fixture.name:18} {label:12} {len(text):7d} {len(ids):7d} {rust_rate:12,.0f} "
                      f"{kotlin_rate:13,.0f} {rust_rate / kotlin_rate:10.2f}x{same}", flush=True)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except subprocess.SubprocessError as error:
        raise SystemExit(str(error)) from error
