"""llama.cpp (``llama-cpp-python``) on the definition's own GGUF file, fed the same ids.

Logits of the last fed token are read with ``llama_get_logits_ith(ctx, -1)`` after
``Llama.eval`` (the model is opened with ``logits_all=False``, so a prefill computes the output
layer for its last token only, as the ``.pte`` does). No torch is imported here.

Signatures used (llama-cpp-python 0.3.36, ``llama_cpp/llama.py``): ``Llama(model_path, *, n_ctx,
n_batch, n_ubatch, n_threads, n_threads_batch, logits_all, verbose)``, ``Llama.eval(tokens)``,
``Llama.reset()``, ``Llama.n_tokens``, ``Llama.ctx``, ``Llama.n_vocab()``;
``llama_cpp.llama_get_logits_ith(ctx, i) -> POINTER(c_float)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sdkgen.bench_llm.engines import Row
from sdkgen.bench_llm.workload import Workload

RUNTIME = "llama.cpp (CPU)"


def runtime_version() -> str:
    import llama_cpp

    return f"llama-cpp-python {llama_cpp.__version__}"


class LlamaCppDecoder:
    """``reset``/``step`` over a ``llama_cpp.Llama`` (its KV cache holds the fed positions)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.vocab = int(model.n_vocab())

    def reset(self) -> None:
        self.model.reset()

    def step(self, tokens: Sequence[int], position: int) -> np.ndarray:
        import llama_cpp

        if position != self.model.n_tokens:
            raise ValueError(f"llama.cpp holds {self.model.n_tokens} positions, asked to feed at "
                             f"{position}")
        self.model.eval(list(tokens))
        pointer = llama_cpp.llama_get_logits_ith(self.model.ctx, -1)
        return np.ctypeslib.as_array(pointer, shape=(self.vocab,)).copy()


def open_decoder(row: Row, workload: Workload) -> LlamaCppDecoder:
    from llama_cpp import Llama

    context = max(len(workload.prompt_ids) + workload.decode_tokens + 1, workload.text_window)
    batch = max(len(workload.prompt_ids), 1)  # the prompt in one batch, as the .pte prefills it
    model = Llama(model_path=row.artifact, n_ctx=context, n_batch=batch, n_ubatch=batch,
                  n_threads=row.threads, n_threads_batch=row.threads, logits_all=False,
                  verbose=False)
    return LlamaCppDecoder(model)
