"""The strings text golden cases are made of: ordinary prose and everything that breaks tokenizers.

``corpus(special_tokens)`` is deterministic: hand-written hostile strings, real English and
Chinese/Japanese/Korean lines from installed packages, long inputs that truncate, strings made of
the tokenizer's own special-token text, and seeded random mixtures of all of these.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from sdkgen.tokenizers import sources

MINIMUM_CASES = 300

HOSTILE: tuple[str, ...] = (
    "", " ", "  ", "     ", "\t", "\n", "\r\n", "\r", " \t\n\r ", "\n\n\n", "a\tb\nc\rd",
    "Hello world", "Hello, world!", "hello   world", "  leading", "trailing  ", "\tTabbed\tText\t",
    "The quick brown fox jumps over the lazy dog.", "I can't, won't, shouldn't've; they'll, we'd.",
    "It's 3:45 p.m. on 2024-01-31 — costs $1,234.56 (≈€1.1k)!", "e-mail: someone@example.com",
    "https://example.com/path?q=1&x=%20y#frag", "C:\\Users\\name\\file.txt", "snake_case camelCase",
    "UPPER lower MiXeD", "1234567890 3.14159 1e-10 -42 +7", "000 0001 100000000000", "x²+y³=z⁴ ½ ¾",
    "!!!???...,,,;;;:::", "\"quoted\" 'single' `back`", "(parens) [brackets] {braces} <angles>",
    "#hashtag @mention $cash %percent ^caret &amp *star", "~tilde |pipe \\backslash /slash",
    "naïve café résumé façade jalapeño", "Ångström Øre Ærø straße Œuvre", "ÀÉÎÕÜ àéîõü ÇçÑñ",
    "e\u0301 a\u0300 o\u0308 n\u0303", "a\u0301\u0302\u0303\u0304\u0305 stacked", "\u0301 leading mark",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f"
    "\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358"
    "\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0342\u030c"
    "\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
    "ǅ ǈ ǋ ǲ titlecase", "İstanbul ıi IĞDIR", "ΣΊΣΥΦΟΣ σίσυφος ς", "ПРИВЕТ мир Ёё",
    "ﬁ ﬂ ﬀ ligatures", "ＦＵＬＬＷＩＤＴＨ ａｂｃ １２３", "ℌ𝔢𝔩𝔩𝔬 𝕨𝕠𝕣𝕝𝕕 𝐁𝐨𝐥𝐝", "Ⅻ ⅻ ① ⑳ ㉑",
    "你好，世界！", "我爱北京天安门。", "日本語のテキストです。カタカナ、ひらがな、漢字。",
    "한국어 텍스트입니다.",
    "中文English混合text", "𠀀𠀁𪚥 𡚴 rare CJK ext B", "〇〻〆 々", "ｶﾀｶﾅ halfwidth katakana",
    "مرحبا بالعالم", "العربية: النص من اليمين إلى اليسار ١٢٣٤٥", "שלום עולם", "\u200fRTL mark\u200e LTR mark",
    "नमस्ते दुनिया", "हिन्दी में पाठ: क्षत्रिय, ज्ञान, श्री", "বাংলা ভাষা", "தமிழ் மொழி",
    "สวัสดีชาวโลก", "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ", "ພາສາລາວ", "မြန်မာဘာသာ", "ខ្មែរ",
    "Ελληνικά κείμενο", "Tiếng Việt có dấu: Đường phố Hà Nội", "ქართული", "Հայերեն", "አማርኛ",
    "😀", "😀😃😄", "👍🏽 👍🏿 👋🏻", "👨‍👩‍👧‍👦 family", "🏳️‍🌈 🏴‍☠️", "👩🏽‍💻 coder", "🇯🇵🇺🇸🇩🇪",
    "❤️ ❤ ♥️", "1️⃣ #️⃣ *️⃣", "emoji😀in😃words", "🤖🦾🧠 robots", "☃ ☂ ☯ ✈ ✉ ✔ ✘",
    "\u0000", "nul\u0000inside", "\u0001\u0002\u0003\u001f", "bell\u0007 esc\u001b[0m", "\u007f del",
    "\u0085 next line", "\u00a0nbsp\u00a0", "a\u00a0b\u00a0\u00a0c", "ideographic\u3000space\u3000",
    "thin\u2009space hair\u200aspace", "em\u2003space en\u2002space", "zero\u200bwidth\u200cjoin\u200d",
    "\ufeffBOM at start", "soft\u00adhyphen", "line\u2028sep para\u2029sep", "\u2060word joiner",
    "\ufffd replacement", "\ue000 private use \U000f0000", "\U0010ffff max", "\u00ad\u200b\u2060",
    "a\u0300\u0316 b\u0316\u0300 ordering", "\u1100\u1161\u11a8 jamo", "가각 precomposed", "Å Å Å",
    "\u0958 \u0915\u093c nukta", "ﷺ ﷽", "ŉ ǰ ΐ expansions", "ẞ ß SS", "K K Ω Ω", "ｱ ｲ ｳ",
    "[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]", "[CLS] hello [SEP]", "<s>", "</s>", "<unk>", "<pad>",
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|im_start|>user\nHi!<|im_end|>",
    "<s>[INST] hi [/INST]", "<|endoftext|><|endoftext|>", "[CLS][SEP][MASK]", "▁ ▁▁ metaspace▁char",
    "Ġ Ċ ĉ byte-level look-alikes", "'Sam 'ſam 'LLama 'DOG 'Twas 'RE 'Ve", "x'S y'T z'M",
    "a  \n\n  b", " \r\n x", "12345 ab!!\n\nc", "1234567 89 0", "line one\n\n\nline two  \n",
    "<0x41> <0xFF> byte tokens", "##suffix ##", "\u2581leading",
    # composition: decomposed and precomposed forms, mark orders, blocked marks, exclusions,
    # singletons, Hangul syllables as jamo (LV, LVT, LV + T), compatibility-only characters
    "Cafe\u0301 vs Café, re\u0301sume\u0301 vs résumé", "A\u030a \u212b \u00c5 \u0041\u0301",
    "e\u0323\u0302 e\u0302\u0323 \u1ec7 q\u0307\u0323", "a\u0328\u0301 \u0105\u0301 a\u0301\u0328",
    "\u1e9b\u0323 \u1e69 \u017f\u0323\u0307", "\u0344 \u0340\u0341 \u0958\u093c \u2126 \u212a",
    "\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165 \ud55c\uad6d\uc5b4",
    "\uac00\u11a8 \u1100\u1161 \u1100\u1161\u11a8\u11a8 \u1100\u1100\u1161 \u11a8",
    "\u3131\u314f \uffa1 \u3200 \u326e \u32ff \u3392", "\u2460\u2474 \u2155 \u00bd \u33a1 \u2122 \u2103",
    "o\u0308\u0304 \u022b \u01d6 u\u0308\u0304 \u1e4d\u0304", "\u0928\u093c \u0929 \u0b47\u0b3e \u0b4b",
)


def _lines(text: str, count: int, seed: int) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return random.Random(seed).sample(lines, min(count, len(lines)))


def _long_inputs(english: Sequence[str], mixed: Sequence[str]) -> list[str]:
    paragraph = " ".join(english[:40])
    return [
        paragraph,
        " ".join(mixed),
        (paragraph + " ") * 3,
        "word " * 700,
        "😀" * 300,
        "a" * 2000,
        "中文" * 600,
        "supercalifragilisticexpialidocious" * 20,
        "\n".join(english[40:120]),
        " ".join(f"{n}" for n in range(800)),
    ]


def _mixtures(pieces: Sequence[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    joins = ("", " ", "  ", "\n", "\t", "\u00a0", "\u3000", "-", ".")
    out = []
    for _ in range(count):
        parts = rng.sample(list(pieces), rng.randint(2, 4))
        out.append(rng.choice(joins).join(parts))
    return out


def corpus(special_tokens: Sequence[str] = ()) -> list[str]:
    """At least ``MINIMUM_CASES`` distinct strings, in a fixed order, for one tokenizer."""
    english = _lines(sources.english_text(), 120, seed=1)
    mixed = _lines(sources.mixed_script_text(), 40, seed=2)
    specials = list(special_tokens)
    special_strings = [
        *specials, "".join(specials[:3]), " ".join(specials[:3]),
        *(f"{s} text {s}" for s in specials[:4]), *(f"x{s}y" for s in specials[:4]),
    ] if specials else []
    found: list[str] = []
    for text in [*HOSTILE, *english[:100], *mixed, *_long_inputs(english, mixed), *special_strings,
                 *_mixtures([*HOSTILE[11:], *english[100:], *specials], 200, seed=3)]:
        if text not in found:
            found.append(text)
    return found
