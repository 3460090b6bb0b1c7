"""The text-generation plan: the definition and the model files resolved once, read by every stage.

:func:`check_generation` is what ``sdkgen validate`` runs (no weights loaded): the definition's
model files, the architecture, the context length, the tokenizer against the embedding, the chat
template's reduction to pieces, and the memory estimate (warnings). :func:`make_generation_plan`
returns the :class:`GenerationPlan`, whose :class:`~sdkgen.generation.context.GenerationContext`
is what the templates and golden cases read as ``sdk.generation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkgen.codegen import naming
from sdkgen.export.coreml_llm import CAUSAL_MASK, INPUT_IDS, KEY_CACHE, LOGITS, VALUE_CACHE
from sdkgen.export.executorch_llm import DecoderExport, runner_metadata
from sdkgen.generation.context import (
    ChatPieces,
    CoreMLLlmContext,
    CoreMLStateContext,
    ExecuTorchLlmContext,
    GenerationContext,
    SamplingDefaults,
)
from sdkgen.llm import architectures
from sdkgen.llm.definition import GenerationModelSpec
from sdkgen.llm.source import SourceInfo, check_source, describe_source, estimated_sizes_mb
from sdkgen.spec import LoadedSpec

TOKENIZER_RESOURCE = "tokenizer.json"


@dataclass(frozen=True)
class GenerationPlan:
    spec: GenerationModelSpec
    base_dir: Path
    spec_sha256: str
    display_name: str
    type_name: str
    snake_name: str
    source: SourceInfo
    model_args: dict[str, Any]  # ExecuTorch ModelArgs fields (the Core ML module reads the same)
    context: GenerationContext
    chat_template: str | None  # the Jinja template the pieces were reduced from
    estimated_mb: dict[str, float]
    warnings: tuple[str, ...]

    @property
    def pte_asset(self) -> str:
        return f"{self.snake_name}.pte"

    @property
    def mlpackage(self) -> str:
        return f"{self.type_name}.mlpackage"


def _chat(spec: GenerationModelSpec, source: SourceInfo) -> tuple[ChatPieces | None, str | None]:
    if spec.generation.chat_template == "none":
        return None, None
    from sdkgen.generation.chat_template import (
        reduce_chat_template,
        template_from_gguf,
        template_from_tokenizer_config,
    )

    if source.kind == "gguf":
        found = template_from_gguf(source.path)
    else:
        config = source.path / "tokenizer_config.json"
        found = template_from_tokenizer_config(config) if config.is_file() else None
    if found is None:
        return None, None
    pieces = reduce_chat_template(found.template, source=found.source,
                                  special_tokens=found.special_tokens)
    return pieces, found.template


def check_generation(loaded: LoadedSpec) -> tuple[SourceInfo, list[str]]:
    """Refuse what cannot be built (SpecError); return the source and the warnings."""
    spec = loaded.spec
    assert isinstance(spec, GenerationModelSpec)
    source = describe_source(spec, loaded.base_dir)
    return source, check_source(spec, source)


def make_generation_plan(loaded: LoadedSpec) -> GenerationPlan:
    spec = loaded.spec
    assert isinstance(spec, GenerationModelSpec)
    source, warnings = check_generation(loaded)
    generation = spec.generation
    arguments = architectures.model_args(source.config, generation.context_length)
    tokens = generation.special_tokens
    metadata = runner_metadata(DecoderExport(
        model_args=arguments, state_dict={}, quantization="fp32", group_size=0,
        bos_id=tokens.bos_id, eos_ids=tuple(tokens.eos_ids), artifact_path=Path("unused"),
    ))
    chat, template = _chat(spec, source)
    sampling = generation.sampling
    length = generation.context_length
    cache_shape = (arguments["n_layers"], 1, arguments["n_kv_heads"], length, arguments["head_dim"])
    context = GenerationContext(
        context_length=length - 1,  # Core ML's converted range stops at length - 1
        vocab_size=arguments["vocab_size"],
        bos_token_id=tokens.bos_id if tokens.add_bos else None,
        eos_token_ids=tuple(tokens.eos_ids),
        stop_strings=tuple(generation.stop_strings),
        tokenizer_resource=TOKENIZER_RESOURCE,
        chat=chat,
        sampling=SamplingDefaults(temperature=sampling.temperature, top_k=sampling.top_k,
                                  top_p=sampling.top_p, max_new_tokens=sampling.max_new_tokens,
                                  seed=sampling.seed),
        android=ExecuTorchLlmContext(
            forward_method="forward", max_seq_len=length, max_prefill_tokens=length - 1,
            logits_of_all_tokens=False,
            metadata=tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                                  for k, v in metadata.items())),
        ),
        ios=CoreMLLlmContext(
            input_ids=INPUT_IDS, causal_mask=CAUSAL_MASK, logits=LOGITS,
            states=(CoreMLStateContext(KEY_CACHE, cache_shape, "float16"),
                    CoreMLStateContext(VALUE_CACHE, cache_shape, "float16")),
            max_length=length, max_input_tokens=length - 1, mask_dtype="float16",
            logits_dtype="float16",
        ),
    )
    return GenerationPlan(
        spec=spec, base_dir=loaded.base_dir, spec_sha256=loaded.sha256,
        display_name=spec.name, type_name=naming.type_name(spec.name),
        snake_name=naming.snake_name(spec.name), source=source, model_args=arguments,
        context=context, chat_template=template, estimated_mb=estimated_sizes_mb(source, spec),
        warnings=tuple(warnings),
    )
