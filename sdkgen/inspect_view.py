"""``sdkgen inspect`` for people: the document of :mod:`sdkgen.inspection` as tables.

The view is driven by the document's fields, not by the artifact's format: a ``methods`` block
(ExecuTorch) or ``inputs``/``outputs`` lists (Core ML, LiteRT) become tensor tables, the remaining
plain fields (delegates, planned memory, precision, operators, signatures, …) a details table, and
``metadata`` a key/value table with long values shortened (``--json`` has them whole).
"""

from __future__ import annotations

import json
from typing import Any

from sdkgen.progress import format_size

_SHOWN_ELSEWHERE = {"file", "format", "size_bytes", "methods", "inputs", "outputs", "metadata"}
_LONGEST_VALUE = 96
_LISTED_ITEMS = 8


def _shape(shape: list[int]) -> str:
    return " × ".join(str(d) for d in shape) if shape else "scalar"


def _tensor_table(title: str, rows: list[tuple[str, dict[str, Any]]]) -> Any:
    from rich import box
    from rich.table import Table

    named = any(tensor.get("name") for _, tensor in rows)
    described = any(tensor.get("description") for _, tensor in rows)
    sized = any("nbytes" in tensor for _, tensor in rows)
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False)
    table.add_column("")
    if named:
        table.add_column("name")
    table.add_column("dtype")
    table.add_column("shape")
    if sized:
        table.add_column("bytes", justify="right")
    if described:
        table.add_column("description", overflow="fold")
    for role, tensor in rows:
        cells = [role] + ([tensor.get("name") or "—"] if named else []) + [
            str(tensor.get("dtype", "—")), _shape(list(tensor.get("shape", [])))]
        if sized:
            cells.append(format_size(tensor.get("nbytes")) if "nbytes" in tensor else "—")
        if described:
            cells.append(tensor.get("description") or "")
        table.add_row(*cells)
    return table


def _tensor_tables(details: dict[str, Any]) -> list[Any]:
    tables = []
    for method, signature in sorted(details.get("methods", {}).items()):
        rows = [(f"input {i}", t) for i, t in enumerate(signature["inputs"])]
        rows += [(f"output {i}", t) for i, t in enumerate(signature["outputs"])]
        tables.append(_tensor_table(f"method {method}", rows))
    if "inputs" in details or "outputs" in details:
        rows = [(f"input {i}", t) for i, t in enumerate(details.get("inputs", []))]
        rows += [(f"output {i}", t) for i, t in enumerate(details.get("outputs", []))]
        tables.append(_tensor_table("inputs and outputs", rows))
    return tables


def _short(text: str) -> str:
    """A metadata value on one line: JSON lists by their length and first items."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        value = None
    if isinstance(value, list) and (len(text) > _LONGEST_VALUE or len(value) > _LISTED_ITEMS):
        head = ", ".join(str(v) for v in value[:4])
        return f"{len(value)} items: {head}, …"
    text = " ".join(str(text).split())
    if len(text) > _LONGEST_VALUE:
        return text[:_LONGEST_VALUE - 1] + f"… ({len(text)} characters)"
    return text


def _detail(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) if value else "none"
    if isinstance(value, dict):
        if all(isinstance(v, int) for v in value.values()) and value:
            return ", ".join(f"{k} ×{v}" for k, v in value.items())
        return _short(json.dumps(value, sort_keys=True))
    return " ".join(str(value).split())  # a sentence: wrapped, never cut


def _key_values(title: str, items: list[tuple[str, str]]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", box=None,
                  show_header=False, pad_edge=False)
    table.add_column(style="cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in items:
        table.add_row(key, value)
    return table


def _details(details: dict[str, Any]) -> list[tuple[str, str]]:
    items = []
    for key, value in sorted(details.items()):
        if key in _SHOWN_ELSEWHERE:
            continue
        if key == "planned_memory_bytes" and isinstance(value, dict):
            items.append(("planned memory", ", ".join(f"{m} {format_size(b)}"
                                                      for m, b in sorted(value.items()))))
            continue
        items.append((key.replace("_", " "), _detail(value)))
    return items


def print_inspection(details: dict[str, Any], console: Any) -> None:
    """Print the :func:`~sdkgen.inspection.inspect_artifact` document ``details`` to a rich console."""
    from rich.text import Text

    console.print(Text.assemble((details["file"], "bold"), "  ", details["format"], "  ",
                                (format_size(details.get("size_bytes")), "dim")))
    console.print()
    sections = _tensor_tables(details)
    extra = _details(details)
    if extra:
        sections.append(_key_values("details", extra))
    metadata = details.get("metadata") or {}
    if metadata:
        sections.append(_key_values("metadata", [(k, _short(str(v)))
                                                 for k, v in sorted(metadata.items())]))
    for section in sections:
        console.print(section)
        console.print()
