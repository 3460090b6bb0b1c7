"""What a text-generation build tells a person: ``report.md`` and its progress lines.

``report.json`` holds the figures (:func:`sdkgen.llm.build`); here they become a Markdown summary
and one-line progress messages a mobile developer reads, not JSON. Generated text (the runner's
answers) passes through :mod:`sdkgen.codegen.naming` on its way to either.
"""

from __future__ import annotations

from typing import Any

from sdkgen.codegen.naming import markdown_text, terminal_text
from sdkgen.progress import format_size


def _embedding_cell(variant: dict[str, Any]) -> str:
    embedding = variant["embedding"]
    if embedding["bits"] == 32:
        return "float32"
    return (f"{embedding['bits']}-bit, blocks of {embedding['block']} "
            f"(max change {embedding['max_abs_change']:.3g})")


def _format_cell(variant: dict[str, Any]) -> str:
    """The format, with the linears that calibration changed (activation groups, outliers)."""
    changed = [f"{variant[key]} {words}" for key, words in
               (("grouped_linears", "linears with activation groups"),
                ("outlier_linears", "linears with float outlier channels"))
               if variant.get(key)]
    return variant["quantization"] + (f" ({', '.join(changed)})" if changed else "")


ANSWER_CHARACTERS = 160  # of a generated answer quoted on one line


def _shortened(text: str) -> str:
    return text if len(text) <= ANSWER_CHARACTERS else text[:ANSWER_CHARACTERS] + "…"


def _quoted(text: str) -> str:
    """A generated text on one line of the summary, escaped as Markdown text."""
    return "“" + markdown_text(_shortened(text)) + "”"


def parity_line(parity: dict[str, Any]) -> str:
    """``greedy parity passed: 320/320 tokens identical over 5 prompts, …``"""
    return (f"greedy parity {parity['status']}: {parity['identical_tokens']}/"
            f"{parity['total_tokens']} tokens identical over {parity['prompts']} prompts, "
            f"first-step logits within {parity['first_logits_max_abs_diff']:.3g}")


def greedy_line(greedy: dict[str, Any]) -> str:
    """A quantised format's greedy answers against eager's (a figure, not a gate)."""
    return (f"greedy answers against eager: {greedy['identical_tokens']}/"
            f"{greedy['total_tokens']} tokens identical before the first difference")


def agreement_line(figures: dict[str, Any], eager_perplexity: float,
                   size_bytes: int | None = None) -> str:
    """``gguf-q4 .pte, 161.5 MB: top-1 0.9677, top-5 1.0000, perplexity 22.44 (eager 22.31) …``"""
    size = f", {format_size(size_bytes)}" if size_bytes is not None else ""
    return (f"{figures['name']}{size}: top-1 {figures['top1_agreement']:.4f}, top-5 "
            f"{figures['top5_agreement']:.4f}, perplexity {figures['perplexity']:.4g} (eager "
            f"{eager_perplexity:.4g}) over {figures['positions']} positions")


def runner_line(mode: str, smoke: dict[str, Any]) -> str:
    """What ExecuTorch's C++ runner answered, shown on one line of the terminal."""
    compared = {True: ", equal to Python's greedy text", False: ", NOT Python's greedy text",
                None: ""}[smoke["matches_python_greedy"]]
    return (f"C++ runner on {mode}: “{terminal_text(_shortened(smoke['text']))}” "
            f"({smoke['generated_tokens']} tokens{compared})")


def _quantised_answers(variants: list[dict[str, Any]]) -> list[str]:
    """How far each quantised format's greedy answers follow eager's (a figure, not a gate)."""
    lines = []
    for variant in variants:
        greedy = variant.get("greedy_against_eager")
        if greedy:
            divergence = ", ".join("–" if at is None else str(at)
                                   for at in greedy["first_divergence"])
            lines.append(f"- {variant['quantization']}: {greedy['identical_tokens']}/"
                         f"{greedy['total_tokens']} tokens identical before the first difference "
                         f"(first difference per prompt, token index: {divergence})")
    if not lines:
        return []
    return ["Greedy answers of the quantised formats against eager (one different token changes "
            "what follows, so this is not a gate; the teacher-forced figures are):", "",
            *lines, ""]


def markdown(document: dict[str, Any]) -> str:
    lines = [f"# {document['model']['name']} — text generation build", ""]
    model = document["model"]
    lines += [f"- source: {model['source']['kind']} `{model['source']['file']}`, "
              f"architecture `{model['architecture']}`, ~{model['parameters_estimated']:,} "
              f"parameters, context {model['context_length']}", ""]
    android = document["android"]
    if android:
        lines += ["## Android (.pte)", "",
                  "| format | size (bytes) | token embedding | delegate calls | within budget |",
                  "|---|---|---|---|---|"]
        for v in android["variants"]:
            lines.append(f"| {_format_cell(v)} | {v['size_bytes']} | {_embedding_cell(v)} | "
                         f"{v['delegate_calls']} | {v['within_budget']} |")
        lines += ["", f"Shipped: `{android['artifact']}` ({android['quantization']}).", ""]
        parity = android["variants"][0].get("greedy_parity")
        if parity:
            lines += [f"Greedy parity (float .pte vs eager): {parity['identical_tokens']}/"
                      f"{parity['total_tokens']} tokens identical over {parity['prompts']} prompts, "
                      f"first-step logits max |diff| {parity['first_logits_max_abs_diff']}.", ""]
        lines += _quantised_answers(android["variants"][1:])
        shipped = next(v for v in android["variants"]
                       if v["quantization"] == android["quantization"])
        smoke = shipped["runner_smoke"]
        lines += [f"ExecuTorch's C++ runner on the shipped .pte, greedy, prompt 1 → "
                  f"{_quoted(smoke['text'])} ({smoke['generated_tokens']} tokens).", ""]
    ios = document["ios"]
    if ios:
        lines += ["## iOS (.mlpackage)", "",
                  f"`{ios['artifact']}` ({ios['quantization']}), {ios['size_bytes']} bytes, "
                  f"KV cache state {ios['cache_shape']}; spec checks: "
                  f"{sum(c['passed'] for c in ios['spec_check'])}/{len(ios['spec_check'])} passed; "
                  f"converted module greedy (float32): "
                  f"{ios['module_greedy_parity_float32']['identical_tokens']}/"
                  f"{ios['module_greedy_parity_float32']['total_tokens']} tokens identical.", ""]
        if ios.get("gguf_blocks"):
            lines += [blocks_line(ios["gguf_blocks"]) + ".", ""]
    lines += ["## Teacher-forced agreement with float eager", "",
              f"Text: {document['evaluation']['text']}, {document['evaluation']['scored_positions']} "
              f"positions; ExecuTorch with {document['evaluation']['executorch_threads']} "
              "thread (its one-token logits depend on the thread count).", "",
              "| model | top-1 | top-5 | perplexity |", "|---|---|---|---|"]
    for row in document["agreement"]:
        lines.append(f"| {row['name']} | {row['top1_agreement']} | {row['top5_agreement']} | "
                     f"{row['perplexity']} |")
    lines += ["", "## Not checked", ""]
    lines += [f"- {item['what']}: {item['why']}" for item in document["not_checked"]]
    if document["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in document["warnings"]]
    return "\n".join(lines) + "\n"


def blocks_line(carried: dict[str, Any]) -> str:
    """What iOS gguf-q4 carried of the GGUF file (``report.json`` ``ios.gguf_blocks``)."""
    formats = carried["tensors_by_format"]
    others = carried["int8_per_channel"]
    change = ", ".join(f"{name} {value:.4f}" for name, value in
                       sorted(carried["max_change_in_steps"].items()))
    return (f"gguf-q4: {sum(formats.values())} weight matrices carried as the GGUF file's blocks ("
            + ", ".join(f"{count} {name}" for name, count in sorted(formats.items()))
            + "), their codes and scales read back from the package identical to the file's; "
            f"largest weight change in steps of its block (float16): {change}; "
            + (f"{len(others)} weights without blocks 8-bit per channel ("
               + ", ".join(others[:4]) + (f", and {len(others) - 4} more" if len(others) > 4
                                          else "") + ")"
               if others else "no weight re-quantised"))

