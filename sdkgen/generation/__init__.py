"""Text generation: what the generated LLM SDKs need beyond the tokenizer.

``context`` holds the plan data the templates see as ``sdk.generation``; ``chat_template`` reduces a
Hugging Face Jinja chat template to literal per-role pieces (checked against the real rendering);
``sampler`` is the portable seeded sampler Python, Kotlin and Swift share; ``golden`` writes and
reads the generation golden cases. Only ``context`` is imported here (no Jinja or numpy at import).
"""

from sdkgen.generation.context import (
    ChatPieces,
    CoreMLLlmContext,
    CoreMLStateContext,
    ExecuTorchLlmContext,
    GenerationContext,
    SamplingDefaults,
)

__all__ = [
    "ChatPieces",
    "CoreMLLlmContext",
    "CoreMLStateContext",
    "ExecuTorchLlmContext",
    "GenerationContext",
    "SamplingDefaults",
]
