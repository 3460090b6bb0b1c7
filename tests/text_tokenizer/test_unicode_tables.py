"""The Unicode tables in the Kotlin template are the ones measured from the reference today."""

from __future__ import annotations

from sdkgen.tokenizers import unicode_tables


def test_kotlin_unicode_tables_are_current() -> None:
    tables = unicode_tables.build_tables()
    committed = unicode_tables.KOTLIN_TEMPLATE.read_text(encoding="utf-8")
    assert committed == unicode_tables.kotlin_source(tables), (
        "run: python -m sdkgen.tokenizers.unicode_tables --write")
    assert 0x301 in dict(tables.combining_class)  # combining acute accent
    assert tables.lowercase[ord("A")] == "a"
    assert any(a <= 0x4E2D <= b for a, b in tables.bert_chinese)


def test_encodings_round_trip() -> None:
    assert unicode_tables.encode_ranges(((1, 1), (10, 15))) == "1,a-f"
    assert unicode_tables.encode_mapping({0x130: "i\u0307"}) == "130:69 307"
    assert unicode_tables.encode_classes({0x300: 230, 0x301: 230, 0x316: 220}) == "300-301:e6,316-316:dc"
    text = ",".join(str(i) for i in range(5000))
    chunks = unicode_tables._chunks(text, 700)
    assert "".join(chunks) == text and max(map(len, chunks)) <= 700
