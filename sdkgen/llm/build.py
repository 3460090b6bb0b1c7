"""``sdkgen build`` of a text-generation definition: export, prove, choose, report.

Stages, in one direction (each a function over the results of the previous ones):

1. plan (:mod:`sdkgen.llm.plan`): refuse what cannot be built before loading anything;
2. load the float32 eager model and its tokenizer; write ``artifacts/tokenizer.json``;
3. reference: eager greedy continuations of the evaluation prompts, and eager's teacher-forced
   predictions and perplexity on the evaluation text;
4. Android: the float ``.pte`` first — its greedy ids must equal eager's token for token (else the
   build fails) — then the definition's formats in order of preference, each measured
   teacher-forced (and their greedy answers against eager's reported, not gated); the first within
   the quality budget ships as ``artifacts/<name>.pte``, the others built stay under
   ``artifacts/variants/``; ExecuTorch's C++ runner generates from every ``.pte``;
5. iOS: the stateful ``.mlpackage`` in the first iOS format; its spec is read back, and the module
   that was converted is run in PyTorch (greedy against eager at float32, teacher-forced at
   float16);
6. golden cases (``golden/generation/``, ``golden/text/``);
7. the ``android/`` and ``ios/`` trees (platform templates, the text feature's tokenizer, the
   ``text_generation`` overlay) with the model, its tokenizer and the golden folder inside;
8. ``report.json`` / ``report.md``.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.errors import ExportError, ParityError, SdkgenError
from sdkgen.executorch_threads import executorch_threads
from sdkgen.llm import evaluate, summary
from sdkgen.llm.definition import QualityBudget
from sdkgen.llm.plan import TOKENIZER_RESOURCE, GenerationPlan, make_generation_plan
from sdkgen.memory import release_unused_memory
from sdkgen.progress import format_size
from sdkgen.spec import LoadedSpec

Progress = Callable[[str], None]
IOS_POSITIONS = 512  # positions of the evaluation text the iOS module is measured on


@dataclass
class _Record:
    """What the build measured, gathered for the report (plain JSON values)."""

    android: dict[str, Any] = field(default_factory=dict)
    ios: dict[str, Any] = field(default_factory=dict)
    agreement: list[dict[str, Any]] = field(default_factory=list)
    not_checked: list[dict[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, name: str, started: float) -> None:
        self.seconds[name] = round(time.perf_counter() - started, 2)


@dataclass(frozen=True)
class Reference:
    prompts: list[list[int]]
    prompt_texts: list[str]
    greedy: list[list[int]]
    first_logits: list[Any]
    teacher: evaluate.TeacherForced
    eager_figures: evaluate.Agreement


def _evaluation_text(plan: GenerationPlan) -> tuple[str, str]:
    relative = plan.spec.generation.evaluation.text
    if relative is not None:
        path = (plan.base_dir / relative).resolve()
        return path.read_text(encoding="utf-8"), relative
    from sdkgen.tokenizers.sources import ENGLISH_FILE, ENGLISH_PACKAGE, english_text

    return english_text(), f"{ENGLISH_PACKAGE}: {ENGLISH_FILE} (WordNet glosses)"


def text_window(plan: GenerationPlan) -> int:
    """Tokens per forward pass over the evaluation text (scoring and calibration alike)."""
    return min(plan.spec.generation.context_length - 1, 512)


def prompt_ids(plan: GenerationPlan, tokenizer: Any, prompt: str) -> list[int]:
    """The ids an SDK feeds for a one-message chat (or a plain prompt without a chat template)."""
    chat = plan.context.chat
    if chat is not None:
        text = chat.render([("user", prompt)], add_generation_prompt=True)
        ids = list(tokenizer.encode(text, add_special_tokens=False))
    else:
        ids = list(tokenizer.encode(prompt, add_special_tokens=True))
    bos = plan.context.bos_token_id
    if bos is not None and (not ids or ids[0] != bos):
        ids.insert(0, bos)
    return ids


def _reference(plan: GenerationPlan, model: Any, tokenizer: Any, record: _Record) -> Reference:
    started = time.perf_counter()
    evaluation = plan.spec.generation.evaluation
    eager = evaluate.EagerDecoder(model)
    prompts = [prompt_ids(plan, tokenizer, p) for p in evaluation.prompts]
    room = plan.spec.generation.context_length - 1
    for index, ids in enumerate(prompts):
        if len(ids) + evaluation.greedy_tokens > room:
            raise SdkgenError(
                f"generation.evaluation.prompts[{index}]: {len(ids)} prompt tokens plus "
                f"{evaluation.greedy_tokens} new ones do not fit the {room}-token context",
                hint="shorten the prompt or lower evaluation.greedy_tokens",
            )
    greedy, first = [], []
    for ids in prompts:
        produced, logits = evaluate.greedy(eager, ids, evaluation.greedy_tokens)
        greedy.append(produced)
        first.append(logits)
    text, _ = _evaluation_text(plan)
    tokens = list(tokenizer.encode(text, add_special_tokens=False))[:evaluation.text_tokens]
    teacher, figures = evaluate.teacher_forced_reference(eager, tokens, text_window(plan))
    record.timed("reference", started)
    return Reference(prompts, list(evaluation.prompts), greedy, first, teacher, figures)


def _until_eos(ids: list[int], eos: tuple[int, ...]) -> list[int]:
    """The ids up to and including the first end id: ExecuTorch's C++ runner streams the end
    token's own piece (e.g. ``<|im_end|>``) before it stops."""
    for index, token in enumerate(ids):
        if token in eos:
            return ids[:index + 1]
    return ids


def _smoke(plan: GenerationPlan, pte: Path, tokenizer_json: Path, reference: Reference,
           tokenizer: Any, exact: bool) -> evaluate.RunnerSmoke:
    """The C++ runner on the first prompt's text, compared with Python's greedy for float."""
    generation = plan.spec.generation
    prompt_text = tokenizer.decode(reference.prompts[0], skip_special_tokens=False)
    bos = plan.context.bos_token_id
    if bos is not None and reference.prompts[0][:1] == [bos]:
        prompt_text = tokenizer.decode(reference.prompts[0][1:], skip_special_tokens=False)
    expected = None
    if exact:
        ids = _until_eos(reference.greedy[0], tuple(generation.special_tokens.eos_ids))
        expected = tokenizer.decode(ids, skip_special_tokens=False)
    return evaluate.runner_smoke_test(
        pte, tokenizer_json, prompt_text, max_new_tokens=generation.evaluation.greedy_tokens,
        bos=bos is not None, expected_text=expected,
    )


def _within_budget(plan: GenerationPlan, figures: evaluate.Agreement,
                   reference: Reference, budget: QualityBudget | None = None) -> list[str]:
    """What misses ``budget`` (the definition's by default); perplexities compared over the same
    positions."""
    import math

    import numpy as np

    budget = budget or plan.spec.generation.quality_budget
    eager = math.exp(float(np.mean(reference.teacher.nll[:figures.positions])))
    misses = []
    if figures.top1_agreement < budget.min_top1_agreement:
        misses.append(f"top-1 agreement {figures.top1_agreement:.4f} < {budget.min_top1_agreement}")
    if figures.top5_agreement < budget.min_top5_agreement:
        misses.append(f"top-5 agreement {figures.top5_agreement:.4f} < {budget.min_top5_agreement}")
    ratio = figures.perplexity / eager
    if ratio > budget.max_perplexity_ratio:
        misses.append(f"perplexity ratio {ratio:.4f} > {budget.max_perplexity_ratio}")
    return misses


def source_blocks(plan: GenerationPlan, model: Any) -> dict[str, Any]:
    """The GGUF source's llama.cpp blocks under the Transformer's names, when a platform's
    preference list has ``gguf-q4`` (empty otherwise, or for a source without such blocks)."""
    quantization = plan.spec.generation.quantization
    if "gguf-q4" not in quantization.android + quantization.ios or plan.source.kind != "gguf":
        return {}
    from sdkgen.llm.gguf_blocks import executorch_blocks, read_gguf_blocks

    return executorch_blocks(read_gguf_blocks(plan.source.path, model), plan.source.config)


@dataclass(frozen=True)
class ChannelChoices:
    """What calibration chose per Android linear (both empty when nothing asks for it)."""

    group_masks: dict[str, Any] = field(default_factory=dict)
    outliers: dict[str, Any] = field(default_factory=dict)


def calibrated_channels(plan: GenerationPlan, state: dict[str, Any], tokenizer: Any,
                        record: _Record, progress: Progress) -> ChannelChoices:
    """Channel-group masks and outlier channels of every linear, calibrated on the evaluation
    text after the scored tokens (empty when ``activation_groups`` is 1 and
    ``outlier_channels`` 0, or no quantised Android format is listed)."""
    quantization = plan.spec.generation.quantization
    groups, outliers = quantization.activation_groups, quantization.outlier_channels
    if (groups < 2 and outliers == 0) or quantization.android == ["fp32"]:
        return ChannelChoices()
    from sdkgen.llm.calibration import (
        activation_group_masks,
        calibration_tokens,
        input_ranges,
        outlier_channel_indices,
    )

    asked = [f"{groups} activation groups"] if groups > 1 else []
    asked += [f"{outliers} outlier channels"] if outliers else []
    progress(f"android: calibrating {' and '.join(asked)} per linear on "
             f"{quantization.calibration_tokens} tokens")
    started = time.perf_counter()
    text, _ = _evaluation_text(plan)
    tokens = calibration_tokens(tokenizer.encode(text, add_special_tokens=False),
                                plan.spec.generation.evaluation.text_tokens,
                                quantization.calibration_tokens)
    ranges = input_ranges(plan.model_args, state, tokens, text_window(plan))
    choices = ChannelChoices(
        group_masks=activation_group_masks(ranges, groups) if groups > 1 else {},
        outliers=outlier_channel_indices(ranges, outliers) if outliers else {})
    record.timed("calibrate.android.channels", started)
    return choices


def _channel_provenance(quantization: Any) -> dict[str, str]:
    """The sidecar's record of the channel options a quantised ``.pte`` was built with."""
    chosen = {}
    if quantization.activation_groups > 1:
        chosen["activation_groups"] = str(quantization.activation_groups)
    if quantization.outlier_channels:
        chosen["outlier_channels"] = str(quantization.outlier_channels)
    return chosen


def _android(plan: GenerationPlan, state: dict[str, Any], reference: Reference, tokenizer: Any,
             staging: Path, provenance: dict[str, str], record: _Record,
             progress: Progress, blocks: dict[str, Any]) -> None:
    from sdkgen.export.executorch_llm import DecoderExport, export_decoder

    generation = plan.spec.generation
    channels = calibrated_channels(plan, state, tokenizer, record, progress)
    executorch_threads(evaluate.EVALUATION_THREADS)  # figures independent of the cores
    artifacts = staging / "artifacts"
    tokenizer_json = artifacts / TOKENIZER_RESOURCE
    chosen: str | None = None
    order = list(generation.quantization.android)
    # the float .pte is always built first: it is the one proven token for token
    def measure(mode: str) -> dict[str, Any]:
        path = artifacts / "variants" / f"{plan.snake_name}-{mode}.pte"
        progress(f"android: exporting the {mode} .pte (ExecuTorch LLM export, XNNPACK)")
        started = time.perf_counter()
        exported = export_decoder(DecoderExport(
            model_args=plan.model_args, state_dict=state, quantization=mode,
            group_size=generation.quantization.group_size,
            bos_id=generation.special_tokens.bos_id,
            eos_ids=tuple(generation.special_tokens.eos_ids), artifact_path=path,
            provenance={**provenance, "quantization": mode,
                        **(_channel_provenance(generation.quantization) if mode != "fp32"
                           else {})},
            blocks=blocks if mode == "gguf-q4" else {},
            activation_groups=channels.group_masks if mode != "fp32" else {},
            outlier_channels=channels.outliers if mode != "fp32" else {},
        ))
        record.timed(f"export.android.{mode}", started)
        release_unused_memory()  # the lowering's cycles and heap (SmolLM2 fp32: 0.7 GB)
        decoder = evaluate.PteDecoder(path)
        entry: dict[str, Any] = {"quantization": mode, "size_bytes": exported.size_bytes,
                                 **{k: v for k, v in exported.details.items() if k != "quantization"}}
        if mode == "fp32":
            progress("android: greedy parity of the float .pte against eager PyTorch")
            started = time.perf_counter()
            parity = evaluate.greedy_parity(path.name, reference.greedy, reference.first_logits,
                                            decoder, reference.prompts)
            record.timed("verify.android.greedy", started)
            entry["greedy_parity"] = parity.to_json()
            progress(f"android: {summary.parity_line(parity.to_json())}")
            if not parity.passed:
                raise ParityError(
                    f"android: {path.name} greedy generation differs from eager PyTorch: "
                    f"{parity.to_json()['identical_tokens']}/{parity.to_json()['total_tokens']} "
                    f"tokens identical (first divergence per prompt: "
                    f"{parity.to_json()['first_divergence']})",
                    hint="the float export must reproduce eager exactly; report this model",
                )
        else:  # what an app's greedy answers look like; a figure, not a gate (see evaluate)
            entry["greedy_against_eager"] = evaluate.greedy_parity(
                path.name, reference.greedy, reference.first_logits, decoder, reference.prompts,
            ).to_json()
            progress(f"android: {mode}: {summary.greedy_line(entry['greedy_against_eager'])}")
        progress(f"android: teacher-forced agreement and perplexity of the {mode} .pte")
        started = time.perf_counter()
        figures = evaluate.teacher_forced(f".pte {mode}", decoder, reference.teacher)
        record.timed(f"verify.android.{mode}.teacher_forced", started)
        # the float .pte is the reference format: its gate is exact greedy parity (above)
        misses = [] if mode == "fp32" else _within_budget(plan, figures, reference)
        entry["agreement"] = figures.to_json()
        progress("android: " + summary.agreement_line(
            figures.to_json(), reference.eager_figures.perplexity, exported.size_bytes))
        entry["within_budget"] = not misses
        entry["budget_misses"] = misses
        record.agreement.append(figures.to_json())
        started = time.perf_counter()
        entry["runner_smoke"] = _smoke(plan, path, tokenizer_json, reference, tokenizer,
                                       exact=mode == "fp32").to_json()
        record.timed(f"verify.android.{mode}.runner", started)
        del decoder
        release_unused_memory()
        progress(f"android: {summary.runner_line(mode, entry['runner_smoke'])}")
        if mode == "fp32" and entry["runner_smoke"]["matches_python_greedy"] is False:
            raise ParityError(
                f"android: ExecuTorch's C++ runner generated {entry['runner_smoke']['text']!r} "
                f"from {path.name}, Python's greedy run of the same ids gives another text",
                hint="the runner reads the .pte's metadata methods and tokenizer.json; check both",
            )
        return entry

    entries = {"fp32": measure("fp32")}  # the float .pte first: it carries the exact proof
    for mode in order:  # then the preference order: the first within the budget ships
        if _skipped(plan, "android", mode, blocks, record, progress):
            continue
        if mode not in entries:
            entries[mode] = measure(mode)
        if entries[mode]["within_budget"]:
            chosen = mode
            break
        progress(f"android: {mode} is outside the quality budget "
                 f"({'; '.join(entries[mode]['budget_misses'])})")
    variants = list(entries.values())
    if chosen is None:
        raise ParityError(
            "android: no format in generation.quantization.android is within the quality budget: "
            + "; ".join(f"{v['quantization']}: {', '.join(v['budget_misses']) or 'ok'}"
                        for v in variants),
            hint="add fp32 to generation.quantization.android, or loosen generation.quality_budget",
        )
    shipped = artifacts / plan.pte_asset
    shutil.move(artifacts / "variants" / f"{plan.snake_name}-{chosen}.pte", shipped)
    for suffix in (".json",):
        source = artifacts / "variants" / f"{plan.snake_name}-{chosen}.pte{suffix}"
        shutil.move(source, shipped.with_name(shipped.name + suffix))
    if not any((artifacts / "variants").iterdir()):
        (artifacts / "variants").rmdir()
    record.android = {"artifact": f"artifacts/{plan.pte_asset}", "quantization": chosen,
                      "preference": order, "variants": variants}


def _skipped(plan: GenerationPlan, platform: str, mode: str, blocks: dict[str, Any],
             record: _Record, progress: Progress) -> bool:
    """Whether ``mode`` cannot apply to this source (gguf-q4 without 4-bit blocks): recorded."""
    if mode != "gguf-q4" or any(b.bits == 4 for b in blocks.values()):
        return False
    why = ("the source is not a GGUF file" if plan.source.kind != "gguf" else
           "the GGUF file holds no Q4_0/Q4_1 linear weights")
    record.not_checked.append({"what": f"{platform} gguf-q4", "why": f"skipped: {why}"})
    progress(f"{platform}: gguf-q4 skipped ({why})")
    return True


def _carried_weights(carried: list[Any], program: Any, blocks: dict[str, Any], state: dict[str, Any],
                     progress: Progress) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """gguf-q4: the carried tensors' weights read back from the saved package (their codes and
    scales checked against the file's), and what the report says of them."""
    if not carried:
        return {}, None
    from sdkgen.export.coreml_blocks import WEIGHT_THRESHOLD, read_carried

    try:
        weights = read_carried(program, carried, blocks)
    except ValueError as error:
        raise ParityError(f"ios: gguf-q4: {error}") from None
    formats: dict[str, int] = {}
    change: dict[str, float] = {}
    for entry in carried:
        formats[entry.format] = formats.get(entry.format, 0) + len(entry.tensors)
        change[entry.format] = round(max(change.get(entry.format, 0.0), entry.max_step_change), 4)
    others = sorted(name for name, value in state.items()
                    if value.ndim == 2 and value.numel() > WEIGHT_THRESHOLD
                    and name not in weights)
    carried_summary = {"tensors_by_format": formats, "codes_and_scales_identical": True,
                       "max_change_in_steps": change, "int8_per_channel": others}
    progress(f"ios: {summary.blocks_line(carried_summary)}")
    return weights, carried_summary


def _ios(plan: GenerationPlan, state: dict[str, Any], reference: Reference, staging: Path,
         provenance: dict[str, str], record: _Record, progress: Progress,
         blocks: dict[str, Any]) -> None:
    import torch

    from sdkgen.export.coreml import COMPUTE_UNITS
    from sdkgen.export.coreml_blocks import package_program
    from sdkgen.export.coreml_llm import (
        ModuleDecoder,
        StatefulExport,
        check_spec,
        export_stateful,
        simulated_weights,
        stateful_decoder,
    )

    generation = plan.spec.generation
    ios = plan.spec.platforms.ios
    # the first format that applies ships
    mode = next((m for m in generation.quantization.ios
                 if not _skipped(plan, "ios", m, blocks, record, progress)), None)
    if mode is None:  # only gguf-q4, and blocks that do not map (a family with fused q/k/v)
        raise ExportError("ios: gguf-q4 found no Q4_0/Q4_1 blocks it can carry for this model",
                          hint="list int4_blockwise after gguf-q4 under "
                          "generation.quantization.ios")
    path = staging / "artifacts" / plan.mlpackage
    progress(f"ios: converting the stateful Core ML model ({mode}, iOS {ios.minimum_version})")
    started = time.perf_counter()
    exported = export_stateful(StatefulExport(
        model_args=plan.model_args, state_dict=state, quantization=mode,
        block_size=generation.quantization.block_size, minimum_deployment=ios.minimum_version,
        compute_units=COMPUTE_UNITS[ios.compute_units], artifact_path=path,
        metadata={f"com.sdkgen.{k}": v for k, v in sorted(provenance.items())},
        blocks=blocks if mode == "gguf-q4" else {},
    ))
    record.timed(f"export.ios.{mode}", started)
    release_unused_memory()
    progress(f"ios: {path.name}: {format_size(exported.size_bytes)}")
    program = package_program(path)
    carried, carried_summary = _carried_weights(exported.details["carried"], program, blocks,
                                                state, progress)
    checks = check_spec(path, plan.model_args, program)
    del program
    failed = [c for c in checks if not c.passed]
    if failed:
        raise ParityError("ios: the Core ML package does not have the expected I/O: " + "; ".join(
            f"{c.check}: expected {c.expected}, found {c.found}" for c in failed))
    progress("ios: greedy parity of the converted module (PyTorch, float32) against eager")
    started = time.perf_counter()
    module = ModuleDecoder(stateful_decoder(plan.model_args, state, dtype=torch.float32,
                                            cache_dtype=torch.float32))
    parity = evaluate.greedy_parity(f"{plan.mlpackage} source module (float32)", reference.greedy,
                                    reference.first_logits, module, reference.prompts)
    progress(f"ios: converted module: {summary.parity_line(parity.to_json())}")
    if not parity.passed:
        raise ParityError(f"ios: the stateful module converted to Core ML differs from eager "
                          f"PyTorch: {parity.to_json()}")
    progress("ios: teacher-forced agreement of the converted module at float16")
    half = ModuleDecoder(stateful_decoder(plan.model_args, state, dtype=torch.float16,
                                          cache_dtype=torch.float16))
    # float16 matmuls in PyTorch on a CPU are slow: the first IOS_POSITIONS positions of the text
    figures = evaluate.teacher_forced("Core ML module in PyTorch float16", half, reference.teacher,
                                      limit=IOS_POSITIONS)
    record.agreement.append(figures.to_json())
    progress(f"ios: {summary.agreement_line(figures.to_json(), reference.eager_figures.perplexity)}")
    # float16 is Core ML's compute precision, not a format the definition chooses: the converted
    # module must keep the default budget whatever the definition asks of weight formats (its
    # rounding kept top-1 0.9961 on SmolLM2; an overflow gave 0.047)
    misses = _within_budget(plan, figures, reference, QualityBudget())
    if misses:
        raise ParityError(
            f"ios: the module converted to Core ML, run at float16 (Core ML's compute precision), "
            f"is outside the default quality budget: {'; '.join(misses)}",
            hint="an activation beyond float16's range (65504) in the model; report it with "
            "the definition",
        )
    simulated = None
    if mode != "fp16":
        progress(f"ios: teacher-forced agreement of {mode} weights (simulated in PyTorch float16)")
        rounded = ModuleDecoder(stateful_decoder(
            plan.model_args,
            simulated_weights(state, mode, generation.quantization.block_size, carried),
            dtype=torch.float16, cache_dtype=torch.float16))
        simulated = evaluate.teacher_forced(f"Core ML {mode} (simulated, PyTorch float16)",
                                            rounded, reference.teacher, limit=IOS_POSITIONS)
        record.agreement.append(simulated.to_json())
        progress("ios: " + summary.agreement_line(simulated.to_json(),
                                                  reference.eager_figures.perplexity))
        misses = _within_budget(plan, simulated, reference)
        if misses:
            progress(f"warning: ios: {mode} (simulated) is outside the quality budget: "
                     f"{'; '.join(misses)}")
    record.timed("verify.ios", started)
    record.ios = {
        "artifact": f"artifacts/{plan.mlpackage}", "quantization": mode,
        "size_bytes": exported.size_bytes, "cache_shape": exported.details["cache_shape"],
        "spec_check": [{"check": c.check, "expected": c.expected, "found": c.found,
                        "passed": c.passed} for c in checks],
        "module_greedy_parity_float32": parity.to_json(),
        "module_float16_agreement": figures.to_json(),
        "simulated_quantized_agreement": simulated.to_json() if simulated is not None else None,
        "gguf_blocks": carried_summary,
    }
    weights_note = ("the weights read back from the package" if carried
                    else "its weights rounded as coremltools does")
    record.not_checked.append({
        "what": f"the Core ML model itself ({mode} weights, float16 compute)",
        "why": "Core ML runs only on Apple platforms; the package's spec was read back and the "
        "exact module that was converted was run in PyTorch (float32: greedy, float16: "
        f"teacher-forced, and with {weights_note}: simulated); Core ML's own kernels are "
        "measured on a device only",
    })


def _golden(plan: GenerationPlan, reference: Reference, staging: Path, record: _Record) -> Path:
    """``golden/generation/`` (the model's generation cases, greedy continuations of eager
    included) and ``golden/text/`` (the tokenizer's encode and stream cases); returns ``golden/``."""
    from sdkgen.generation.golden import GreedyCase, write_model_golden
    from sdkgen.tokenizers.golden import TextOptions, write_tokenizer_golden

    exact = record.android.get("quantization") == "fp32" and not record.ios
    budget = plan.spec.generation.quality_budget.min_top1_agreement
    cases = [
        GreedyCase(name=f"greedy{index + 1:02d}", prompt_ids=tuple(ids), ids=tuple(out),
                   source=f"prompt {index + 1}: {text!r}",
                   check="exact" if exact else "teacher_forced",
                   min_top1_agreement=None if exact else budget)
        for index, (ids, out, text) in enumerate(zip(reference.prompts, reference.greedy,
                                                     reference.prompt_texts, strict=True))
    ]
    golden = staging / "golden"
    tokenizer_json = staging / "artifacts" / TOKENIZER_RESOURCE
    write_model_golden(golden / "generation", chat=plan.context.chat, tokenizer_file=tokenizer_json,
                       greedy=cases)
    text = golden / "text"
    text.mkdir(parents=True)
    shutil.copyfile(tokenizer_json, text / "model.tokenizer.json")
    # a chat's text is tokenized without added special tokens, a plain prompt with them
    options = TextOptions(add_special_tokens=plan.context.chat is None)
    write_tokenizer_golden(text, "model", text / "model.tokenizer.json", options)
    return golden


def render_trees(plan: GenerationPlan, versions: dict[str, str], *, build_dir: Path,
                 out_dir: Path, platforms: tuple[str, ...],
                 progress: Progress = lambda _: None) -> dict[str, float]:
    """The Android and iOS trees under ``out_dir``, rendered as every task's are (platform
    templates, the text feature's tokenizer, the text_generation overlay), with the model, its
    tokenizer (an asset / a resource beside the model) and the golden folder of ``build_dir``
    (which holds ``artifacts/`` and ``golden/``) inside; the seconds each took."""
    from sdkgen.codegen.platforms import generate_platform_tree, platform_layout
    from sdkgen.llm.sdk_context import generation_sdk_context
    from sdkgen.pipeline import _artifact_name

    sdk = generation_sdk_context(plan, versions)
    artifacts = build_dir / "artifacts"
    seconds = {}
    for platform in platforms:
        progress(f"{platform}: rendering the SDK tree")
        started = time.perf_counter()
        tree = out_dir / platform
        generate_platform_tree(platform, sdk, golden_dir=build_dir / "golden", out_dir=tree,
                               model_artifact=artifacts / _artifact_name(sdk, platform))
        model = platform_layout(platform).model_destination(sdk)
        shutil.copyfile(artifacts / TOKENIZER_RESOURCE,
                        tree / model.parent / plan.context.tokenizer_resource)
        seconds[f"render.{platform}"] = round(time.perf_counter() - started, 2)
    return seconds


def _report(plan: GenerationPlan, reference: Reference, record: _Record,
            versions: dict[str, str], platforms: tuple[str, ...]) -> dict[str, Any]:
    from dataclasses import asdict

    generation = plan.spec.generation
    _, text_source = _evaluation_text(plan)
    record.not_checked.append({
        "what": "on-device inference (Android device/emulator, iOS device/simulator)",
        "why": "no Android device or Xcode on a Linux host",
    })
    return {
        "schema_version": 1,
        "task": "text-generation",
        "model": {"name": plan.display_name, "version": plan.spec.version,
                  "source": {"kind": plan.source.kind, "file": plan.source.path.name},
                  "architecture": plan.source.model_type,
                  "parameters_estimated": plan.source.parameters,
                  "context_length": generation.context_length,
                  "spec_sha256": plan.spec_sha256},
        "platforms": list(platforms),
        "estimated_memory_mb": plan.estimated_mb,
        "warnings": list(plan.warnings),
        "evaluation": {"prompts": len(reference.prompts),
                       "greedy_tokens": generation.evaluation.greedy_tokens,
                       "text": text_source, "text_tokens": len(reference.teacher.top1)
                       + len(reference.teacher.windows),
                       "scored_positions": len(reference.teacher.top1),
                       "executorch_threads": evaluate.EVALUATION_THREADS,
                       "quality_budget": generation.quality_budget.model_dump()},
        "agreement": [reference.eager_figures.to_json(), *record.agreement],
        "android": record.android,
        "ios": record.ios,
        "generation": json.loads(json.dumps(asdict(plan.context), default=list)),
        "not_checked": record.not_checked,
        "versions": versions,
    }


def build_generation(loaded: LoadedSpec, *, out_dir: Path | None, platforms: tuple[str, ...],
                     force: bool, progress: Progress) -> Any:
    """Build a text-generation definition into ``out_dir`` (default ``build/<snake name>``)."""
    import torch

    from sdkgen.llm.architectures import executorch_state_dict
    from sdkgen.llm.source import load_eager, load_tokenizer
    from sdkgen.pipeline import BuildResult, PlatformOutcome, _staging
    from sdkgen.version import tool_versions

    record = _Record()
    started = time.perf_counter()
    plan = make_generation_plan(loaded)
    for warning in plan.warnings:
        progress(f"warning: {warning}")
    record.timed("plan", started)
    out_dir = (out_dir or Path("build") / plan.snake_name).resolve()
    versions = tool_versions()
    provenance = {"sdkgen_version": versions["sdkgen"], "torch_version": versions["torch"],
                  "executorch_version": versions["executorch"],
                  "coremltools_version": versions["coremltools"], "spec_sha256": loaded.sha256,
                  "model_name": plan.display_name, "model_version": plan.spec.version}
    with _staging(out_dir, force=force) as staging:
        progress(f"loading {plan.source.path.name} (float32)")
        started = time.perf_counter()
        model = load_eager(plan.spec, plan.base_dir)
        tokenizer = load_tokenizer(plan.spec, plan.base_dir)
        (staging / "artifacts").mkdir(parents=True)
        tokenizer.backend_tokenizer.save(str(staging / "artifacts" / TOKENIZER_RESOURCE))
        record.timed("load", started)
        progress("eager reference: greedy continuations and teacher-forced text")
        with torch.no_grad():
            reference = _reference(plan, model, tokenizer, record)
        state = executorch_state_dict(model.state_dict(), plan.source.config)
        blocks = source_blocks(plan, model)
        if "android" in platforms:
            _android(plan, state, reference, tokenizer, staging, provenance, record, progress,
                     blocks)
        if "ios" in platforms:
            _ios(plan, state, reference, staging, provenance, record, progress, blocks)
        started = time.perf_counter()
        _golden(plan, reference, staging, record)
        record.timed("golden", started)
        record.seconds.update(render_trees(plan, versions, build_dir=staging, out_dir=staging,
                                           platforms=platforms, progress=progress))
        document = _report(plan, reference, record, versions, platforms)
        (staging / "report.json").write_text(
            json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8")
        (staging / "report.md").write_text(summary.markdown(document), encoding="utf-8")
    out_dir.with_name(out_dir.name + ".timings.json").write_text(
        json.dumps({"seconds": record.seconds}, indent=2, sort_keys=True) + "\n")
    outcomes = tuple(PlatformOutcome(p, "built") for p in platforms)
    return BuildResult(out_dir, document, dict(record.seconds), outcomes)
