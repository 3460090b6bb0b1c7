"""The one place where user strings become identifiers or escaped literals.

Every string that comes from a definition (names, labels, descriptions, author, licence, paths)
and reaches generated code passes through a function of this module, usually as a Jinja filter
registered in :mod:`sdkgen.codegen.environment`. Identifiers are sanitized (never escaped);
literals are escaped (never altered), so labels round-trip exactly.
"""

from __future__ import annotations

import json
import re
import unicodedata

KOTLIN_KEYWORDS = frozenset(
    """as as? break class continue do else false for fun if in !in interface is !is null object
    package return super this throw true try typealias typeof val var when while by catch
    constructor delegate dynamic field file finally get import init param property receiver set
    setparam value where actual abstract annotation companion const crossinline data enum expect
    external final infix inline inner internal lateinit noinline open operator out override
    private protected public reified sealed suspend tailrec vararg""".split()
)

SWIFT_KEYWORDS = frozenset(
    """associatedtype class deinit enum extension fileprivate func import init inout internal
    let open operator private precedencegroup protocol public rethrows static struct subscript
    typealias var break case catch continue default defer do else fallthrough for guard if in
    repeat return throw switch where while Any as await false is nil self Self super throws true
    try async actor any some borrowing consuming package Type Protocol sending""".split()
)

# Names the generated code itself declares next to user-derived ones; a user name equal to one
# of these would shadow it.
_RESERVED_TYPE_NAMES = frozenset(
    {"Classification", "Error", "Result", "Model", "String", "Float", "Int", "Array", "List",
     "Bitmap", "Context", "Module", "Tensor", "EValue", "MLModel", "CGImage", "Sendable",
     "Object", "Any", "Unit", "Nothing", "Self", "Type", "Protocol"}
)

_WORD = re.compile(r"[A-Za-z0-9]+")


def ascii_words(text: str) -> list[str]:
    """Split ``text`` into ASCII alphanumeric words, folding accents (``Café`` -> ``Cafe``)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words: list[str] = []
    for chunk in _WORD.findall(folded):
        # split camelCase / PascalCase runs: "DigitClassifier" -> "Digit", "Classifier"
        words.extend(re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+", chunk))
    return words


def _is_keyword(name: str) -> bool:
    return name in KOTLIN_KEYWORDS or name in SWIFT_KEYWORDS


def type_name(text: str, *, fallback: str = "Model") -> str:
    """An UpperCamel type name valid in Kotlin and Swift: ``"digit classifier"`` -> ``DigitClassifier``."""
    words = ascii_words(text)
    name = "".join(w[:1].upper() + w[1:] for w in words) or fallback
    if name[0].isdigit():
        name = fallback + name
    if _is_keyword(name) or name in _RESERVED_TYPE_NAMES:
        name += fallback if name != fallback else "Type"
    return name


def member_name(text: str, *, fallback: str = "item") -> str:
    """A lowerCamel identifier valid in Kotlin and Swift and not a keyword of either."""
    words = ascii_words(text)
    if not words:
        return fallback
    head, *rest = words
    name = head.lower() + "".join(w[:1].upper() + w[1:].lower() for w in rest)
    if name[0].isdigit():
        name = fallback + name[:1].upper() + name[1:]
    if _is_keyword(name):
        name += fallback[:1].upper() + fallback[1:]
    return name


def snake_name(text: str, *, fallback: str = "model") -> str:
    """``snake_case`` ASCII, starting with a letter: file and feature names."""
    words = [w.lower() for w in ascii_words(text)]
    name = "_".join(words) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def kebab_name(text: str, *, fallback: str = "model") -> str:
    return snake_name(text, fallback=fallback).replace("_", "-")


KOTLIN_HARD_KEYWORDS = frozenset(
    """as break class continue do else false for fun if in interface is null object package
    return super this throw true try typealias typeof val var when while""".split()
)


def kotlin_package(package: str) -> str:
    """A validated Java package as Kotlin writes it: hard-keyword segments in backticks.

    ``com.fun.app`` is a valid Java package but ``fun`` is a Kotlin keyword: ``com.`fun`.app``.
    """
    return ".".join(f"`{part}`" if part in KOTLIN_HARD_KEYWORDS else part for part in package.split("."))


def package_path(package: str) -> str:
    """``com.example.app`` -> ``com/example/app`` (the package is validated by the spec)."""
    return package.replace(".", "/")


# --- literals --------------------------------------------------------------------------------


def _utf16_units(char: str) -> list[int]:
    encoded = char.encode("utf-16-be")
    return [int.from_bytes(encoded[i : i + 2], "big") for i in range(0, len(encoded), 2)]


_KOTLIN_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                   "\b": "\\b"}


def kotlin_string(text: str) -> str:
    """A Kotlin (and Gradle KTS) string literal, quotes included, holding exactly ``text``.

    ``$`` is escaped so templates (``${x}``) never interpolate; everything outside printable ASCII
    becomes ``\\uXXXX`` UTF-16 units so the generated file is ASCII whatever its encoding.
    """
    out: list[str] = []
    for char in text:
        if char in _KOTLIN_ESCAPES:
            out.append(_KOTLIN_ESCAPES[char])
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.extend(f"\\u{unit:04X}" for unit in _utf16_units(char))
    return '"' + "".join(out) + '"'


_SWIFT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def _swift_escape_refused(char: str) -> bool:
    """Swift's lexer refuses ``\\u{FDD0}`` to ``\\u{FDEF}`` ("invalid unicode scalar"; Swift 6.3,
    measured over every noncharacter), though it takes the characters themselves in a literal."""
    return "\ufdd0" <= char <= "\ufdef"


def swift_string(text: str) -> str:
    """A Swift string literal, quotes included, holding exactly ``text``.

    The backslash is escaped, so ``\\(x)`` never interpolates; non-ASCII becomes ``\\u{...}``,
    except the noncharacters U+FDD0-U+FDEF, which Swift accepts only as themselves (UTF-8).
    Swift compares strings by grapheme equivalence, but the scalars written are exactly the
    input's, so the bytes round-trip.
    """
    out: list[str] = []
    for char in text:
        if char in _SWIFT_ESCAPES:
            out.append(_SWIFT_ESCAPES[char])
        elif " " <= char <= "~" or _swift_escape_refused(char):
            out.append(char)
        else:
            out.append(f"\\u{{{ord(char):X}}}")
    return '"' + "".join(out) + '"'


def comment_text(text: str) -> str:
    """Text safe inside a ``/** */`` KDoc block or a ``///`` Swift doc line.

    One line (line breaks become spaces); ``*/`` and ``/*`` are broken up, since Kotlin and Swift
    both nest block comments; control characters are dropped.
    """
    single = " ".join(text.split())
    single = "".join(c for c in single if unicodedata.category(c)[0] != "C")
    return single.replace("*/", "* /").replace("/*", "/ *")


_XML_WHITESPACE = {"\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;"}


def xml_text(text: str) -> str:
    """Text for an XML element body or a double-quoted attribute, read back exactly.

    Tab, newline and carriage return become character references (attribute values would
    otherwise be normalized to spaces); characters XML 1.0 cannot carry at all (other C0
    controls, U+FFFE, U+FFFF, lone surrogates) become U+FFFD.
    """
    escaped = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace('"', "&quot;").replace("'", "&apos;")
    )
    out = []
    for char in escaped:
        if char in _XML_WHITESPACE:
            out.append(_XML_WHITESPACE[char])
        elif char < " " or char in "\ufffe\uffff" or "\ud800" <= char <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def android_string_resource(text: str) -> str:
    """Body of an Android ``<string>`` resource (quotes included) that aapt2 decodes to ``text``.

    The value is double-quoted so aapt2 keeps every space and never reads it as a ``@``/``?``
    reference; inside, backslash, quotes, newline and tab use aapt's escapes, and the rest is
    XML-escaped like :func:`xml_text`.
    """
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
        .replace("\n", "\\n").replace("\t", "\\t")
    )
    return '"' + xml_text(escaped) + '"'


def json_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
_MARKDOWN_BLOCK_START = re.compile(r"^(\d+)([.)])|^([#+=>-])")


def markdown_text(text: str) -> str:
    """Inline Markdown text that renders as ``text``: one line, no HTML, no formatting; control
    and format characters shown as ``\\uXXXX``.

    Characters with inline meaning are backslash-escaped everywhere; ``#``, ``-``, ``+``, ``>``,
    ``=`` and ``1.`` only where they could start a block (at the beginning), so versions and
    sentences stay readable in the source.
    """
    single = _MARKDOWN_INLINE.sub(r"\\\1", " ".join(text.split()))
    single = "".join(_code_point_escape(char) if unicodedata.category(char).startswith("C")
                     else char for char in single)  # shown, as on a terminal (terminal_text)
    return _MARKDOWN_BLOCK_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", single
    )


def terminal_text(text: str) -> str:
    """``text`` on one terminal line, shown and never interpreted: control and format characters
    (newlines, escape sequences, bidirectional overrides) appear as Python writes them (``\\n``,
    ``\\u001b``, ``\\U000e0001``), and a backslash as two."""
    shown = {"\\": "\\\\", "\n": "\\n"}
    return "".join(
        shown[char] if char in shown else _code_point_escape(char)
        if unicodedata.category(char).startswith("C") else char
        for char in text
    )


def _code_point_escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def pbxproj_string(text: str) -> str:
    """A quoted OpenStep-plist string (``project.pbxproj``) holding exactly ``text``."""
    out: list[str] = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif " " <= char <= "~":
            out.append(char)
        else:
            out.extend(f"\\U{unit:04x}" for unit in _utf16_units(char))
    return '"' + "".join(out) + '"'


def python_string(text: str) -> str:
    """A Python string literal holding exactly ``text``, in ASCII (escapes for everything else,
    lone surrogates included), for the small Python modules ``sdkgen init`` writes."""
    return ascii(str(text))  # a quoted literal with \x, \u, \U escapes; eval() gives back text
