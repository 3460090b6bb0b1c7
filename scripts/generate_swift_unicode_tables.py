"""Write the Unicode tables of the Swift tokenizer by probing the oracle, HF `tokenizers`.

The Swift tokenizer must give the ids the Rust `tokenizers` library gives, on every platform. The
character classes it relies on (BERT's control/whitespace/punctuation/CJK tests, Oniguruma's
`\\p{L}`, `\\p{N}`, `\\s`, `\\w`, Rust's `char::is_whitespace`, `to_lowercase`, NFD/NFKD/NFC/NFKC) come from
Unicode tables whose version differs between Rust crates, the Swift runtime of each iOS release and
Linux. So they are not taken from the platform: every scalar is run through the oracle itself and the
answers are written into `UnicodeTables.swift.jinja`, which the Swift code reads.

    python scripts/generate_swift_unicode_tables.py

Canonical combining classes (for the canonical ordering of NFD) come from Python's `unicodedata`.
Takes about a minute.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from tokenizers import Regex, normalizers, pre_tokenizers

OUT = (Path(__file__).resolve().parent.parent / "templates" / "features" / "text" / "ios" / "Sources"
       / "{{ sdk.type_name }}Core" / "Tokenizer" / "UnicodeTables.swift.jinja")

# Bits of a scalar's flags; the same names are in UnicodeTables.swift.
BERT_REMOVED = 1  # BertNormalizer(clean_text) drops it: NUL, U+FFFD, control/format/private use
BERT_WHITESPACE = 2  # BertNormalizer(clean_text) turns it into a space
BERT_PUNCTUATION = 4  # BertPreTokenizer isolates it
CJK = 8  # BertNormalizer(handle_chinese_chars) puts spaces around it
REGEX_LETTER = 16  # Oniguruma \p{L}
REGEX_NUMBER = 32  # Oniguruma \p{N}
REGEX_SPACE = 64  # Oniguruma \s
NONSPACING_MARK = 128  # BertNormalizer(strip_accents) drops it (after NFD)
WHITESPACE = 256  # Rust char::is_whitespace (WhitespaceSplit, BertPreTokenizer)
REGEX_WORD = 512  # Oniguruma \w
COMBINING_MARK = 1024  # the StripAccents normalizer drops it
RUST_WORD = 2048  # Rust regex crate \w (the Whitespace pre-tokenizer)


def _probe() -> tuple[list[int], dict[str, dict[int, list[int]]], dict[int, int]]:
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False,
                                       strip_accents=False, lowercase=False)
    chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True,
                                         strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False,
                                       strip_accents=True, lowercase=False)
    lower, nfd, nfkd = normalizers.Lowercase(), normalizers.NFD(), normalizers.NFKD()
    strip_accents = normalizers.StripAccents()
    bert_pre, whitespace_split = pre_tokenizers.BertPreTokenizer(), pre_tokenizers.WhitespaceSplit()
    whitespace = pre_tokenizers.Whitespace()
    classes = {flag: pre_tokenizers.Split(Regex(pattern), "removed") for flag, pattern in
               ((REGEX_LETTER, r"\p{L}"), (REGEX_NUMBER, r"\p{N}"), (REGEX_SPACE, r"\s"),
                (REGEX_WORD, r"\w"))}
    flags = [0] * 0x110000
    maps: dict[str, dict[int, list[int]]] = {"lowercase": {}, "nfd": {}, "nfkd": {}}
    combining: dict[int, int] = {}
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        f = 0
        cleaned = clean.normalize_str(c)
        if cleaned == "":
            f |= BERT_REMOVED
        elif cleaned == " ":
            f |= BERT_WHITESPACE
        if chinese.normalize_str(c) != c:
            f |= CJK
        if len(bert_pre.pre_tokenize_str("a" + c + "a")) == 3:
            f |= BERT_PUNCTUATION
        if len(whitespace_split.pre_tokenize_str("a" + c + "a")) == 2:
            f |= WHITESPACE
        for flag, split in classes.items():
            if not split.pre_tokenize_str(c):
                f |= flag
        if len(whitespace.pre_tokenize_str("a" + c)) == 1 and not f & WHITESPACE:
            f |= RUST_WORD
        if strip_accents.normalize_str(c) == "":
            f |= COMBINING_MARK
        decomposed = nfd.normalize_str(c)
        if decomposed != c:
            maps["nfd"][cp] = [ord(x) for x in decomposed]
        elif strip.normalize_str(c) == "":
            f |= NONSPACING_MARK
        compat = nfkd.normalize_str(c)
        if compat != decomposed:
            maps["nfkd"][cp] = [ord(x) for x in compat]
        lowered = lower.normalize_str(c)
        if lowered != c:
            maps["lowercase"][cp] = [ord(x) for x in lowered]
        if unicodedata.combining(c):
            combining[cp] = unicodedata.combining(c)
        flags[cp] = f
    maps["composition"] = _compositions(maps["nfd"])
    return flags, maps, combining


def _compositions(canonical: dict[int, list[int]]) -> dict[int, list[int]]:
    """Primary composites and the pair each composes from, as the oracle's NFC sees them.

    A canonical decomposition is a pair (first, last) whose first element decomposes further:
    the pair is (NFC of all but the last scalar, the last scalar). A scalar is a primary composite
    when the oracle's NFC of its full decomposition gives it back (exclusions and singletons don't).
    """
    nfc = normalizers.NFC()
    pairs: dict[int, list[int]] = {}
    for cp, full in canonical.items():
        if len(full) < 2 or 0xAC00 <= cp <= 0xD7A3:  # Hangul syllables compose algorithmically
            continue
        if nfc.normalize_str("".join(map(chr, full))) != chr(cp):
            continue
        first = nfc.normalize_str("".join(map(chr, full[:-1])))
        if len(first) == 1 and nfc.normalize_str(first + chr(full[-1])) == chr(cp):
            pairs[cp] = [ord(first), full[-1]]
    return pairs


def _runs(values: list[int]) -> str:
    parts, previous = [], None
    for cp, value in enumerate(values):
        if value != previous:
            parts.append(f"{cp:x}:{value:x}")
            previous = value
    return ";".join(parts)


def _mapping(mapping: dict[int, list[int]]) -> str:
    return ";".join(f"{cp:x}:" + ",".join(f"{x:x}" for x in target)
                    for cp, target in sorted(mapping.items()))


def _swift_literal(name: str, text: str, doc: str) -> str:
    lines = [text[i:i + 96] for i in range(0, len(text), 96)] or [""]
    body = "\n".join(lines)
    return f"    /// {doc}\n    static let {name} = \"\"\"\n{body}\n\"\"\"\n"


def main() -> None:
    import tokenizers

    flags, maps, combining = _probe()
    combining_runs = [combining.get(cp, 0) for cp in range(0x110000)]
    text = (
        "// Generated by scripts/generate_swift_unicode_tables.py from HF tokenizers "
        f"{tokenizers.__version__}\n// (the oracle) and Python unicodedata "
        f"{unicodedata.unidata_version} (combining classes). Do not edit.\n\n"
        "/// Unicode data of the tokenizer, probed from the reference implementation so that every\n"
        "/// platform classifies every scalar the same way. Text form: `start:value` runs and\n"
        "/// `scalar:target,...` mappings, hexadecimal, `;`-separated (multi-line literals: newlines are\n"
        "/// ignored).\n"
        "enum UnicodeTableData {\n"
        + _swift_literal("flagRuns", _runs(flags), "Flag runs: `start:flags` (see `ScalarFlags`).")
        + _swift_literal("combiningClassRuns", _runs(combining_runs), "Canonical combining class runs.")
        + _swift_literal("lowercase", _mapping(maps["lowercase"]),
                         "Lower-case mappings (Rust `to_lowercase`).")
        + _swift_literal("canonicalDecomposition", _mapping(maps["nfd"]),
                         "Full canonical decompositions (NFD).")
        + _swift_literal("compatibilityDecomposition", _mapping(maps["nfkd"]),
                         "Full compatibility decompositions (NFKD) that differ from NFD.")
        + _swift_literal("canonicalComposition", _mapping(maps["composition"]),
                         "Primary composites: `composite:first,second` (NFC, NFKC).")
        + "}\n"
    )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {OUT} ({len(text)} characters)", file=sys.stderr)


if __name__ == "__main__":
    main()
