"""The one Jinja environment every template is rendered with."""

from __future__ import annotations

import hashlib
import json
import math
import struct
from pathlib import Path
from typing import Any

import jinja2

from sdkgen.codegen import naming


def _float_literal(value: float) -> str:
    """Shortest repr of a float that round-trips (``0.485`` not ``0.48500001``), always with a dot."""
    text = repr(float(value))
    return text if any(c in text for c in ".eEn") else text + ".0"


def _kotlin_float(value: float) -> str:
    return _float_literal(value) + "f"


def _float32_literal(value: float) -> str:
    """Shortest decimal of ``float32(value)`` (round to nearest) that parses back to that float32.

    Printing the float64 and letting Kotlin round the decimal to Float can differ by one ulp
    from numpy's ``np.float32(value)`` (double rounding); this emits the float32 itself.
    """
    single = struct.unpack("<f", struct.pack("<f", float(value)))[0]
    if not math.isfinite(single):
        raise ValueError(f"{value!r} is not a finite float32")
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == single:
            break
    return _float_literal(float(text)) if "e" not in text else text


def _kotlin_float32(value: float) -> str:
    return _float32_literal(value) + "f"


def _swift_float(value: float) -> str:
    return _float_literal(value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _pbxproj_id(stable_name: str) -> str:
    """A deterministic 24-hex-digit Xcode object ID derived from a stable name (same name, same ID)."""
    return hashlib.sha256(stable_name.encode("utf-8")).hexdigest()[:24].upper()


FILTERS = {
    "type_name": naming.type_name,
    "member_name": naming.member_name,
    "snake_name": naming.snake_name,
    "kebab_name": naming.kebab_name,
    "package_path": naming.package_path,
    "kotlin_string": naming.kotlin_string,
    "kts_string": naming.kotlin_string,
    "swift_string": naming.swift_string,
    "comment_text": naming.comment_text,
    "xml_text": naming.xml_text,
    "android_string": naming.android_string_resource,
    "json_string": naming.json_string,
    "markdown_text": naming.markdown_text,
    "pbxproj_string": naming.pbxproj_string,
    "kotlin_float": _kotlin_float,
    "kotlin_float32": _kotlin_float32,
    "kotlin_package": naming.kotlin_package,
    "swift_float": _swift_float,
    "json": _json,
    "pbxproj_id": _pbxproj_id,
}


def make_environment(template_root: Path) -> jinja2.Environment:
    """Build the environment: strict undefined, trailing newlines kept, filters registered by name."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_root)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    for name, function in FILTERS.items():
        if name in env.filters:
            raise RuntimeError(f"filter {name!r} would shadow a Jinja built-in")
        env.filters[name] = function
    return env
