"""``report.json`` and ``report.md``: what was built, what was proven, what was not and why."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdkgen.codegen.context import SdkContext
from sdkgen.compression.metrics import flips_cell
from sdkgen.features.base import output_kind
from sdkgen.golden import GoldenCase, decode
from sdkgen.spec import LoadedSpec

if TYPE_CHECKING:
    from sdkgen.pipeline import PlatformOutcome

REPORT_SCHEMA_VERSION = 1


def _outcome_json(outcome: PlatformOutcome) -> dict[str, Any]:
    entry: dict[str, Any] = {"platform": outcome.platform, "status": outcome.status}
    if outcome.error is not None:
        entry["error"] = {"kind": outcome.error_kind, "message": outcome.error}
    if outcome.export is not None:
        entry["artifact"] = {
            "file": f"artifacts/{outcome.export.artifact.name}",
            "backend": outcome.export.backend,
            "size_bytes": outcome.export.size_bytes,
            **outcome.export.details,
        }
    entry["warnings"] = list(outcome.warnings)
    if outcome.parity is not None:
        entry["parity"] = outcome.parity.to_json()
    if outcome.spec_check is not None:
        entry["spec_check"] = outcome.spec_check.to_json()
    if outcome.comparisons:
        entry["comparisons"] = [c.to_json() for c in outcome.comparisons]
    return entry


def _not_checked(outcomes: list[PlatformOutcome]) -> list[dict[str, str]]:
    items = []
    for outcome in outcomes:
        if outcome.parity is not None and outcome.parity.status == "skipped":
            items.append({"what": f"{outcome.platform} numeric parity", "why": outcome.parity.reason})
    items.append({
        "what": "on-device inference (Android device/emulator, iOS device/simulator)",
        "why": "no Android SDK or Xcode on a Linux host; the generated instrumented (androidTest) "
        "and Core ML XCTest suites check it against the golden vectors when run on a device",
    })
    return items


def build_report(
    *, loaded: LoadedSpec, sdk: SdkContext, model_source: str, cases: list[GoldenCase],
    parity_case_count: int, outcomes: list[PlatformOutcome], versions: dict[str, str],
) -> dict[str, Any]:
    golden_cases = []
    by_output: dict[str, dict[str, Any]] = {o.feature_name: {} for o in sdk.outputs}
    for case in cases:
        decoded = {}
        for output in sdk.outputs:
            result = decode(output, case.output_tensors[output.feature_name], case.input_tensors)
            if result is not None:
                decoded[output.feature_name] = [asdict(c) if is_dataclass(c) else c for c in result]
                by_output[output.feature_name][case.name] = result
        golden_cases.append({"name": case.name, "source": case.source, "decoded": decoded})
    across_cases = {o.feature_name: output_kind(o.kind).cases_entry(o, by_output[o.feature_name])
                    for o in sdk.outputs if by_output[o.feature_name]}
    return {
        "schema_version": REPORT_SCHEMA_VERSION,
        "model": {
            "name": loaded.spec.name, "version": loaded.spec.version, "type_name": sdk.type_name,
            "source": model_source, "task": sdk.task, "spec_sha256": loaded.sha256,
            "inputs": [{"name": i.name, "feature": i.feature_name, "kind": i.kind,
                        "shape": list(i.shape), "dtype": i.dtype} for i in sdk.inputs],
            "outputs": [{"name": o.name, "feature": o.feature_name, "kind": o.kind,
                         "shape": list(o.shape)} for o in sdk.outputs],
        },
        "versions": versions,
        "platforms": [_outcome_json(o) for o in outcomes],
        "golden": {"directory": "golden", "cases": golden_cases,
                   "parity_inputs": parity_case_count,
                   **({"across_cases": {k: v for k, v in across_cases.items() if v}}
                      if any(across_cases.values()) else {})},
        "not_checked": _not_checked(outcomes),
    }


def _format_bytes(size: int) -> str:
    return f"{size / 1e6:.2f} MB" if size >= 1e5 else f"{size / 1e3:.1f} kB"


def _markdown_parity(parity: dict[str, Any]) -> list[str]:
    lines = [f"Parity ({parity['runtime']}): **{parity['status']}** — {parity['reason']}", ""]
    if parity["outputs"]:
        lines += ["| output | max abs error | rel. L2 error | min cosine | top-1 agreement | NaN/Inf |",
                  "|---|---|---|---|---|---|"]
        for out in parity["outputs"]:
            top1 = "—" if out["top1_agreement"] is None else f"{out['top1_agreement']:.3f}"
            lines.append(
                f"| {out['output']} | {out['max_abs_error']:.3g} | "
                f"{out['max_relative_l2_error']:.3g} | {out['min_cosine_similarity']:.6f} | "
                f"{top1} | {out['non_finite_values']} |"
            )
        lines.append("")
        decoded = [o for o in parity["outputs"] if o.get("min_decoded_cosine_similarity") is not None]
        lines += [f"- {o['output']}: min cosine of the decoded (pooled) values "
                  f"{o['min_decoded_cosine_similarity']:.6f}" for o in decoded]
        if decoded:
            lines.append("")
    return lines


def _markdown_comparison(comparison: dict[str, Any]) -> list[str]:
    """Another runtime exported beside the shipped one (not in the SDK)."""
    title = f"### Comparison: {comparison['runtime']} ({comparison['status']})"
    if comparison["error"] is not None:
        return [title, "", "```", comparison["error"], "```", ""]
    lines = [title, "", f"- artifact: `{comparison['file']}` "
             f"({_format_bytes(comparison['size_bytes'])}), not shipped in the SDK"]
    operators = comparison["details"].get("operators")
    if operators:
        lines.append("- operators: " + ", ".join(f"`{k.replace('`', '')}` ×{v}"
                                                 for k, v in operators.items()))
    lines.append("")
    if comparison["parity"] is not None:
        lines += _markdown_parity(comparison["parity"])
    return lines


def _fraction(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def _markdown_example_answers(entries: list[dict[str, Any]]) -> list[str]:
    """Each example input's decoded answer (top-k classes) from every artifact that ran it."""
    from sdkgen.codegen.naming import markdown_text

    answered = [e for e in entries if e["details"].get("examples")]
    if not answered:
        return []
    lines = ["", "Example inputs through every artifact (the runtime's own output, decoded):", ""]
    for name in answered[0]["details"]["examples"]:
        lines.append(f"- {name}:")
        for entry in answered:
            results = entry["details"]["examples"].get(name) or []
            top = ", ".join(f"{markdown_text(r['label'])} {r['probability']:.4f}"
                            for r in results if isinstance(r, dict) and "label" in r)
            lines.append(f"  - `{entry['file']}`: {top or '—'}")
    return lines


def _small_layer_lines(variants: list[dict[str, Any]]) -> list[str]:
    """Which layers a dynamic int8 variant kept float for their size (``dynamic_min_macs``)."""
    from sdkgen.codegen.naming import markdown_text

    lines = []
    for entry in variants:
        small = entry["details"].get("small_layers")
        if isinstance(small, dict) and small["layers"]:
            names = ", ".join(f"{markdown_text(name)} ({macs})"
                              for name, macs in zip(small["layers"], small["macs"], strict=True))
            lines.append(f"- `{entry['file']}`: {len(small['layers'])} linears/1×1 convs with "
                         f"fewer than {small['min_macs']} multiply-adds per output row kept "
                         f"float32 (`dynamic_min_macs`): {names}")
    return lines


def _markdown_compression(section: dict[str, Any]) -> list[str]:
    """The compression section: float artifacts and variants, sizes, accuracy, latency."""
    budget = section["accuracy_budget"]
    eager = section["eager_float"]
    lines = ["## Compression", "",
             f"- evaluation: {section['evaluation']}; calibration: {section['calibration'] or '—'}",
             f"- budget: top-1 agreement drop ≤ {budget['max_top1_agreement_drop']}, accuracy drop ≤ "
             f"{budget['max_accuracy_drop']}; eager float accuracy {_fraction(eager['accuracy'])}",
             f"- {section['latency_note']}", "",
             "| artifact | mode | size | × float | top-1 agr. | flips (float margin ≤, samples) | "
             "top-5 agr. | accuracy | median ms | p90 ms | budget |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for entry in section["float_artifacts"] + section["variants"]:
        accuracy = entry["accuracy"] or {}
        latency = entry["latency"] or {}
        median, p90 = latency.get("median_ms"), latency.get("p90_ms")
        built = entry["budget"] != "failed"  # a failed variant has no file
        size = _format_bytes(entry["size_bytes"]) if built else "—"
        ratio = f"{entry['size_ratio']:.3f}" if built else "—"
        lines.append(
            f"| `{entry['file']}` | {entry['mode']} | {size} | "
            f"{ratio} | {_fraction(accuracy.get('top1_agreement'))} | "
            f"{flips_cell(accuracy)} | "
            f"{_fraction(accuracy.get('top5_agreement'))} | {_fraction(accuracy.get('accuracy'))} | "
            f"{'—' if median is None else f'{median:.3f}'} | {'—' if p90 is None else f'{p90:.3f}'} | "
            f"{entry['budget']} |"
        )
    notes = sorted({e["accuracy_note"] for e in section["variants"]
                    if e["accuracy"] is None and e["budget"] != "failed"})
    lines += [""] + [f"- {note}" for note in notes]
    lines += [f"- **`{e['file']}` failed**: {'; '.join(e['failures'])}"
              for e in section["variants"] if e["budget"] == "failed"]
    lines.append("- flips: samples whose top-1 changed; float margin: eager float's top-1 minus "
                 "top-2 score of the closest-to-certain flipped sample, and how many evaluation "
                 "samples are that close to a tie (agreement is exact on all the others)")
    rounding = section.get("int8_weight_rounding")
    if rounding:
        accuracy = rounding["accuracy"]
        lines.append(f"- int8 weight rounding alone ({rounding['tensors_rounded']} conv/linear "
                     "weight tensors rounded per output channel, activations float, eager): "
                     f"top-1 agreement {_fraction(accuracy.get('top1_agreement'))}, flips "
                     f"{flips_cell(accuracy)}")
    lines += _small_layer_lines(section["variants"])
    lines += _markdown_example_answers(section["float_artifacts"] + section["variants"])
    for entry in section["variants"]:
        weights = entry["details"].get("weights")
        if isinstance(weights, dict):
            lines.append(f"- `{entry['file']}` weights: relative L2 error "
                         f"{weights['relative_l2_error']:.4f}, sparsity {weights['sparsity']:.4f}, "
                         f"{weights['tensors_compressed']}/{weights['tensors_total']} tensors compressed")
            short = weights.get("tensors_short_of_target_sparsity") or []
            if short:
                lines.append(f"  - **{len(short)} tensors stayed below the target sparsity** "
                             f"(e.g. {short[-1]})")
    return [*lines, ""]


def _markdown(document: dict[str, Any]) -> str:
    from sdkgen.codegen.naming import markdown_text

    model = document["model"]
    lines = [f"# Build report: {markdown_text(model['name'])} {model['version']}", "",
             f"- model: `{model['source']}` — task `{model['task']}`",
             f"- definition sha256: `{model['spec_sha256']}`", ""]
    lines += ["## Versions", "", "| tool | version |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in document["versions"].items()] + [""]
    for entry in document["platforms"]:
        lines += [f"## {entry['platform']}: {entry['status']}", ""]
        if "error" in entry:
            lines += ["```", entry["error"]["message"], "```", ""]
            continue
        artifact = entry["artifact"]
        lines.append(f"- artifact: `{artifact['file']}` ({_format_bytes(artifact['size_bytes'])})")
        for key in ("delegate_calls", "planned_memory_bytes", "route", "compute_units",
                    "precision", "minimum_deployment_target"):
            if key in artifact:
                lines.append(f"- {key.replace('_', ' ')}: {artifact[key]}")
        if artifact.get("ops_outside_delegate"):
            ops = ", ".join(f"`{k}` ×{v}" for k, v in artifact["ops_outside_delegate"].items())
            lines.append(f"- ops outside the XNNPACK delegate: {ops}")
        elif "ops_outside_delegate" in artifact:
            lines.append("- ops outside the XNNPACK delegate: none")
        for failed in artifact.get("failed_routes", []):
            lines.append(f"- route `{failed['route']}` failed: {failed['error']}")
        lines += [f"- **warning**: {markdown_text(w)}" for w in entry["warnings"]]
        lines.append("")
        lines += _markdown_parity(entry["parity"])
        for comparison in entry.get("comparisons", []):
            lines += _markdown_comparison(comparison)
        if "spec_check" in entry:
            check = entry["spec_check"]
            passed = sum(1 for c in check["checks"] if c["passed"])
            lines += [f"Core ML spec check: **{check['status']}** ({passed}/{len(check['checks'])})",
                      ""]
    if "compression" in document:
        lines += _markdown_compression(document["compression"])
    lines += ["## Golden vectors", ""]
    if "reference" in document["golden"]:
        reference = document["golden"]["reference"]
        lines += [f"Eager reference: {reference['mode']} ({markdown_text(reference['reason'])})", ""]
    for case in document["golden"]["cases"]:
        for feature, results in case["decoded"].items():
            if results and isinstance(results[0], dict):
                top = ", ".join(f"{markdown_text(r['label'])} {r['probability']:.4f}" for r in results)
            else:  # a vector (embedding): its first values
                top = "[" + ", ".join(f"{v:.4f}" for v in results[:4]) + (", …]" if len(results) > 4 else "]")
            lines.append(f"- {case['name']} ({markdown_text(case['source'])}) `{feature}`: {top}")
    for feature, entry in document["golden"].get("across_cases", {}).items():
        for query, ranked in entry.get("similarity", {}).items():
            order = ", ".join(f"{r['case']} {r['cosine']:.4f}" for r in ranked)
            lines.append(f"- `{feature}` similarity to {query}: {order}")
    lines += ["", "## Not checked", ""]
    lines += [f"- {item['what']}: {item['why']}" for item in document["not_checked"]]
    return "\n".join(lines) + "\n"


def write_report(directory: Path, document: dict[str, Any]) -> None:
    (directory / "report.json").write_text(
        json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (directory / "report.md").write_text(_markdown(document), encoding="utf-8")
