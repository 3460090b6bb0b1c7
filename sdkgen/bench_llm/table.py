"""The language-model bench as one Markdown table (one row per engine and thread count)."""

from __future__ import annotations

from typing import Any


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def target_lines(document: dict[str, Any]) -> list[str]:
    """The shipped .pte against llama.cpp per thread count: decode speed ratio and top-1 agreement
    (the targets: at least twice llama.cpp's decode speed, at least its agreement)."""
    lines = []
    for count in document["thread_counts"]:
        rows = [r for r in document["rows"] if r["threads"] == count]
        shipped = next((r for r in rows if r.get("shipped")), None)
        llama = next((r for r in rows if r["engine"] == "llamacpp"), None)
        if shipped is None or llama is None or not llama["decode_tokens_per_s"]:
            continue
        ratio = shipped["decode_tokens_per_s"] / llama["decode_tokens_per_s"]
        lines.append(
            f"At {count} thread(s) the shipped .pte ({shipped['mode']}) decodes {ratio:.2f}× "
            f"llama.cpp's tokens/s ({llama['mode']}); top-1 agreement {shipped['top1_agreement']:.4f}"
            f" against llama.cpp's {llama['top1_agreement']:.4f}.")
    return lines


def markdown_table(document: dict[str, Any]) -> str:
    workload, host = document["workload"], document["host"]
    lines = [
        f"{document['model']}: a {workload['prompt_tokens']}-token chat prompt, then "
        f"{workload['decode_tokens']} greedy tokens; medians of {workload['repeats']} runs after "
        f"{workload['warmup']} warm-up; each row in its own process; {host['machine']} "
        f"({host['cpus']} CPUs), load average {host['load_average_1m']}",
        f"Agreement with float eager (teacher-forced) and perplexity: "
        f"{workload['text_tokens']} tokens of {workload['text']}",
        "",
        "| engine | mode | threads | size | TTFT ms | prefill tok/s | decode tok/s | peak RSS | "
        "top-1 | top-5 | perplexity |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in document["rows"]:
        lines.append(
            f"| {row['label']} | {row['mode']} | {row['threads']} | {_megabytes(row['size_bytes'])} "
            f"| {row['ttft_ms']:.1f} | {row['prefill_tokens_per_s']:.1f} | "
            f"{row['decode_tokens_per_s']:.1f} | {_megabytes(row['peak_rss_bytes'])} | "
            f"{row['top1_agreement']:.4f} | {row['top5_agreement']:.4f} | {row['perplexity']:.4g} |"
        )
    lines += ["", *target_lines(document)] if target_lines(document) else []
    lines += [
        "",
        "TTFT: prefill of the prompt in one call plus choosing the first token. Peak RSS: the "
        "row's own process, loading included (eager dequantises or reads the float weights). "
        "Size: eager's float32 parameters, the .pte file, the GGUF file.",
        *document["notes"],
    ]
    return "\n".join(lines) + "\n"
