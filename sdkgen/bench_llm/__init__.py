"""``sdkgen bench`` of a text-generation build: speed, memory and quality of every engine, side by side.

One row per engine and thread count: eager PyTorch (float32, the reference), every ``.pte`` of
the build (float and each quantised variant) in the ExecuTorch Python runtime, and llama.cpp on
the source GGUF when the definition's source is a GGUF file and ``llama_cpp`` is importable.

Every row runs the same workload (:mod:`.workload`): one real chat prompt rendered with the model's
chat template, the same prompt ids, the same number of greedily decoded tokens, and the same
teacher-forced text. Each row runs in its own process (:mod:`.worker`), so its peak resident
memory is its own and its thread count is set before anything is loaded. Modules:

- :mod:`.workload`: the prompt, the decode length and the text, as plain JSON values;
- :mod:`.engines`: the registry of engines (one runner module per engine: :mod:`.runner_eager`,
  :mod:`.runner_pte`, :mod:`.runner_llamacpp`), each a decoder with ``reset``/``step``;
- :mod:`.timing`: time to first token, prefill and decode tokens per second, peak RSS;
- :mod:`.worker`: one row in one process; :mod:`.run`: all rows; :mod:`.table`: the Markdown table.
"""

from sdkgen.bench_llm.run import run_llm_bench
from sdkgen.bench_llm.table import markdown_table

__all__ = ["markdown_table", "run_llm_bench"]
