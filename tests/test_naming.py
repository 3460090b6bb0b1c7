"""Identifiers and literals from hostile user strings (compiled checks live in tests/android, tests/ios)."""

from __future__ import annotations

import json

import pytest

from sdkgen.codegen import naming

HOSTILE = ['say "hi"', "back\\slash", "$money ${x}", "\\(x)", "*/ end /* start", "#tag \"#",
           "line\nbreak\r\ttab", "Ünïcødé 日本 😀", "", "\0nul", "\ufdd0\ufdeb\ufdef\ufdf0"]


@pytest.mark.parametrize("name", ["class", "fun", "object", "protocol", "self", "Type", "2fast", "",
                                  "日本", "Digit Classifier", "is"])
def test_type_and_member_names_are_identifiers(name: str) -> None:
    type_name = naming.type_name(name)
    member = naming.member_name(name)
    for identifier in (type_name, member):
        assert identifier.isidentifier() and identifier.isascii()
        assert identifier not in naming.KOTLIN_KEYWORDS | naming.SWIFT_KEYWORDS
    assert type_name[0].isupper() and member[0].islower()


def test_derived_names() -> None:
    assert naming.type_name("digit classifier") == "DigitClassifier"
    assert naming.type_name("MobileNet V2") == "MobileNetV2"
    assert naming.member_name("step_logits") == "stepLogits"
    assert naming.snake_name("MobileNet V2") == "mobile_net_v2"
    assert naming.kebab_name("Digit Classifier") == "digit-classifier"


def _unescape_kotlin(literal: str) -> str:
    body = literal[1:-1]
    # Kotlin escapes are a subset of JSON's plus \$; \uXXXX are UTF-16 units like JSON's.
    return json.loads('"' + body.replace("\\$", "$") + '"')


def _unescape_swift(literal: str) -> str:
    body = literal[1:-1]
    out, i = [], 0
    simple = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"'}
    while i < len(body):
        if body[i] == "\\":
            if body[i + 1] == "u":
                end = body.index("}", i)
                out.append(chr(int(body[i + 3:end], 16)))
                i = end + 1
                continue
            out.append(simple[body[i + 1]])
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_literals_round_trip_and_stay_ascii(text: str) -> None:
    kotlin = naming.kotlin_string(text)
    swift = naming.swift_string(text)
    # Swift refuses \u{FDD0}-\u{FDEF}: those noncharacters are written as themselves
    assert kotlin.isascii() and all(c.isascii() or "\ufdd0" <= c <= "\ufdef" for c in swift)
    assert "${" not in kotlin.replace("\\${", "")
    assert "\\(" not in swift.replace("\\\\(", "")
    assert _unescape_kotlin(kotlin) == text
    assert _unescape_swift(swift) == text


@pytest.mark.parametrize("text", HOSTILE)
def test_comment_text_cannot_close_a_comment(text: str) -> None:
    comment = naming.comment_text(text)
    assert "*/" not in comment and "/*" not in comment and "\n" not in comment


def test_xml_and_markdown_escapes() -> None:
    assert naming.xml_text('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"
    assert naming.markdown_text("*bold* [link](x) <b>") == "\\*bold\\* \\[link\\](x) \\<b\\>"
    assert naming.markdown_text("Version 1.0.0, by A-B.") == "Version 1.0.0, by A-B."
    assert naming.markdown_text("# title") == "\\# title"
    assert naming.markdown_text("1. first") == "1\\. first"
    assert naming.markdown_text("- item\n| x |") == "\\- item \\| x \\|"
    # control and format characters are shown, not written raw into the file
    assert naming.markdown_text("nul\0 rtl\u202e ok") == "nul\\u0000 rtl\\u202e ok"
    assert naming.pbxproj_string('a"b\\c') == '"a\\"b\\\\c"'
