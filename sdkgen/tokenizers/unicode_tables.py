"""Unicode tables for the Kotlin and Swift tokenizers, read off the oracle itself.

The JVM, Android, Foundation and swift-corelibs each ship their own Unicode version, so the SDKs
carry their own tables. Every table here is measured by running the ``tokenizers`` library's own
normalisers and pre-tokenisers over every code point, so the SDKs agree with the oracle by
construction. One exception: canonical combining classes (for NFD's reordering) are not observable
one code point at a time and come from Python's ``unicodedata``; the golden cases check them.
Canonical compositions (NFC, NFKC) are the pairs the oracle's own NFC composes back.

``python -m sdkgen.tokenizers.unicode_tables --check`` verifies the committed Kotlin table source.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3  # decomposed algorithmically, not tabled

Ranges = tuple[tuple[int, int], ...]  # inclusive (first, last) code point ranges


@dataclass(frozen=True)
class UnicodeTables:
    """Code point sets as sorted ranges and mappings as code point -> replacement string."""

    lowercase: dict[int, str]  # Lowercase normaliser, per code point (only changed ones)
    nfd: dict[int, str]  # NFD normaliser, per code point, Hangul syllables excluded
    combining_class: dict[int, int]  # non-zero canonical combining classes
    bert_removed_marks: Ranges  # BertNormalizer(strip_accents) drops them after NFD
    strip_accents_removed: Ranges  # StripAccents drops them
    bert_control: Ranges  # BertNormalizer(clean_text) drops them
    bert_whitespace: Ranges  # BertNormalizer(clean_text) maps them to " "
    bert_chinese: Ranges  # BertNormalizer(handle_chinese_chars) surrounds them by spaces
    bert_punctuation: Ranges  # BertPreTokenizer isolates them
    whitespace: Ranges  # Rust char::is_whitespace (BertPreTokenizer, WhitespaceSplit, Strip)
    letter: Ranges  # \p{L} of the byte-level split regex
    number: Ranges  # \p{N}
    regex_space: Ranges  # \s
    nfkd: dict[int, str]  # NFKD normaliser, where it differs from NFD (Hangul syllables excluded)
    composition: dict[int, str]  # primary composite -> the two code points NFC composes into it


def _code_points() -> list[int]:
    return [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def _ranges(points: Iterable[int]) -> Ranges:
    found: list[tuple[int, int]] = []
    for point in sorted(points):
        if found and found[-1][1] == point - 1:
            found[-1] = (found[-1][0], point)
        else:
            found.append((point, point))
    return tuple(found)


def _mapping(normalize: Callable[[str], str], points: Sequence[int]) -> dict[int, str]:
    chosen = [p for p in points if p != 0x0A]
    out = normalize("\n".join(chr(p) for p in chosen)).split("\n")
    if len(out) != len(chosen):
        raise RuntimeError("a normaliser changed the number of lines while tabling it")
    return {p: o for p, o in zip(chosen, out, strict=True) if o != chr(p)}


def _removed_by(pattern: str, points: Sequence[int]) -> set[int]:
    from tokenizers import Regex, pre_tokenizers

    text = "".join(chr(p) for p in points)
    kept: set[int] = set()
    for piece, (start, end) in pre_tokenizers.Split(Regex(pattern), "removed").pre_tokenize_str(text):
        if text[start:end] != piece:
            raise RuntimeError("pre-tokeniser offsets are not code point offsets")
        kept.update(points[start:end])
    return set(points) - kept


def _compositions(canonical: dict[int, str]) -> dict[int, str]:
    """Primary composites and the pair each composes from, as the oracle's NFC sees them.

    A canonical decomposition ends with the last mark composed: the pair is (NFC of all but the
    last code point, the last code point). A code point is a primary composite when the oracle's
    NFC of its full decomposition gives it back (composition exclusions and singletons do not).
    """
    from tokenizers import normalizers

    nfc = normalizers.NFC()
    pairs: dict[int, str] = {}
    for point, full in canonical.items():
        if len(full) < 2 or nfc.normalize_str(full) != chr(point):
            continue
        first = nfc.normalize_str(full[:-1])
        if len(first) == 1 and nfc.normalize_str(first + full[-1]) == chr(point):
            pairs[point] = first + full[-1]
    return pairs


def build_tables() -> UnicodeTables:
    from tokenizers import normalizers, pre_tokenizers

    points = _code_points()
    nfd = _mapping(normalizers.NFD().normalize_str, points)
    nfkd = _mapping(normalizers.NFKD().normalize_str, points)
    lowercase = _mapping(normalizers.Lowercase().normalize_str, points)
    bert = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False,
                                      strip_accents=False, lowercase=False)
    chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True,
                                         strip_accents=False, lowercase=False)
    marks = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False,
                                       strip_accents=True, lowercase=False)
    strip = normalizers.StripAccents()
    split = pre_tokenizers.BertPreTokenizer()
    control, space, han, removed, stripped, punctuation, white = (set() for _ in range(7))
    for point in points:
        char = chr(point)
        cleaned = bert.normalize_str(char)
        if cleaned == "":
            control.add(point)
        elif cleaned == " " and char != " ":
            space.add(point)
        if chinese.normalize_str(char) == f" {char} ":
            han.add(point)
        if point not in nfd and marks.normalize_str(char) == "":
            removed.add(point)
        if strip.normalize_str(char) == "":
            stripped.add(point)
        pieces = len(split.pre_tokenize_str(f"a{char}a"))
        if pieces == 2:
            white.add(point)
        elif pieces == 3:
            punctuation.add(point)
    canonical = {p: s for p, s in nfd.items() if not HANGUL_FIRST <= p <= HANGUL_LAST}
    return UnicodeTables(
        lowercase=lowercase,
        nfd=canonical,
        combining_class={p: unicodedata.combining(chr(p)) for p in points
                         if unicodedata.combining(chr(p))},
        bert_removed_marks=_ranges(removed), strip_accents_removed=_ranges(stripped),
        bert_control=_ranges(control), bert_whitespace=_ranges(space), bert_chinese=_ranges(han),
        bert_punctuation=_ranges(punctuation), whitespace=_ranges(white),
        letter=_ranges(_removed_by(r"\p{L}", points)),
        number=_ranges(_removed_by(r"\p{N}", points)),
        regex_space=_ranges(_removed_by(r"\s", points)),
        nfkd={p: s for p, s in nfkd.items()
              if not HANGUL_FIRST <= p <= HANGUL_LAST and canonical.get(p, chr(p)) != s},
        composition=_compositions(canonical),
    )


def _hex(point: int) -> str:
    return format(point, "x")


def encode_ranges(ranges: Ranges) -> str:
    """``first-last`` (or ``first``) in hex, comma separated."""
    return ",".join(_hex(a) if a == b else f"{_hex(a)}-{_hex(b)}" for a, b in ranges)


def encode_mapping(mapping: dict[int, str]) -> str:
    """``point:replacement points`` in hex (points space separated), comma separated."""
    return ",".join(f"{_hex(p)}:{' '.join(_hex(ord(c)) for c in s)}"
                    for p, s in sorted(mapping.items()))


def encode_classes(classes: dict[int, int]) -> str:
    """Runs of equal combining class: ``first-last:class`` in hex, comma separated."""
    runs: list[tuple[int, int, int]] = []
    for point, value in sorted(classes.items()):
        if runs and runs[-1][1] == point - 1 and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], point, value)
        else:
            runs.append((point, point, value))
    return ",".join(f"{_hex(a)}-{_hex(b)}:{_hex(v)}" for a, b, v in runs)


def encoded(tables: UnicodeTables) -> dict[str, str]:
    """Every table as one compact string, keyed by field name (what the SDK sources embed)."""
    out: dict[str, str] = {}
    for name, value in asdict(tables).items():
        if name == "combining_class":
            out[name] = encode_classes(value)
        elif isinstance(value, dict):
            out[name] = encode_mapping(value)
        else:
            out[name] = encode_ranges(tuple(tuple(r) for r in value))  # type: ignore[arg-type]
    return out


def _chunks(text: str, size: int = 8000) -> list[str]:
    """Pieces under ``size`` characters, cut after commas, that concatenate back to ``text``.

    A JVM string constant holds at most 64 KiB, so long tables are written as ``"a," + "b"``.
    """
    chunks: list[str] = []
    start = 0
    while len(text) - start > size:
        cut = text.rindex(",", start, start + size) + 1
        chunks.append(text[start:cut])
        start = cut
    return [*chunks, text[start:]]


def kotlin_source(tables: UnicodeTables) -> str:
    """``UnicodeTables.kt.jinja``: the tables as string constants, parsed once on first use."""
    lines = [
        "// Generated by `python -m sdkgen.tokenizers.unicode_tables --write`; do not edit.",
        "// Measured from the `tokenizers` library (the reference), so the SDK agrees with it on",
        "// every code point whatever Unicode version the JVM or Android ships.",
        "package {{ sdk.android.package | kotlin_package }}.tokenizer",
        "",
        "internal object UnicodeData {",
    ]
    for name, text in encoded(tables).items():
        constant = "".join(part.capitalize() for part in name.split("_"))
        pieces = " +\n        ".join(json.dumps(chunk) for chunk in _chunks(text))
        lines += [f"    val {constant[0].lower()}{constant[1:]}: String =", f"        {pieces}", ""]
    lines[-1] = "}"
    return "\n".join(lines) + "\n"


KOTLIN_TEMPLATE = (Path(__file__).resolve().parents[2] / "templates" / "features" / "text" / "android"
                   / "{{ sdk.android.module_name }}" / "src" / "main" / "java"
                   / "{{ sdk.android.package | package_path }}" / "tokenizer"
                   / "UnicodeData.kt.jinja")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sdkgen.tokenizers.unicode_tables")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="rewrite the Kotlin table template")
    action.add_argument("--check", action="store_true", help="fail if the template is stale")
    action.add_argument("--json", type=Path, help="write the encoded tables as JSON (for Swift)")
    args = parser.parse_args(argv)
    tables = build_tables()
    if args.json:
        args.json.write_text(json.dumps(encoded(tables), indent=1, sort_keys=True) + "\n",
                             encoding="utf-8")
        return 0
    source = kotlin_source(tables)
    if args.write:
        KOTLIN_TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        KOTLIN_TEMPLATE.write_text(source, encoding="utf-8")
        return 0
    if KOTLIN_TEMPLATE.read_text(encoding="utf-8") != source:
        print(f"{KOTLIN_TEMPLATE} is stale: run python -m sdkgen.tokenizers.unicode_tables --write")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
