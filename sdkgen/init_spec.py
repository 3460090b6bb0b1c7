"""``sdkgen init``: write a complete, commented ``sdkgen.yaml`` that builds without edits."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sdkgen.codegen import naming
from sdkgen.errors import UsageError
from sdkgen.init_probe import Probe, ProbedOutput

_INPUT = re.compile(r"^(image|tensor|text):(\d+(?:x\d+)*)(?::(float32|int32|int64))?$")
TEXT_ROLES = ("input_ids", "attention_mask", "token_type_ids")


@dataclass(frozen=True)
class InputArgument:
    kind: str
    dims: tuple[int, ...]
    dtype: str


def parse_input(text: str) -> InputArgument:
    """``image:3x224x224`` (channels × height × width), ``tensor:1x16:float32`` or ``text:128``
    (tokens per text)."""
    match = _INPUT.match(text)
    if not match:
        raise UsageError(
            f"--input {text!r}: expected image:CxHxW (e.g. image:3x224x224), "
            "tensor:DIMS[:DTYPE] (e.g. tensor:1x16:float32) or text:TOKENS (e.g. text:128)"
        )
    kind, dims_text, dtype = match.group(1), match.group(2), match.group(3) or "float32"
    if kind == "text":
        if "x" in dims_text or match.group(3) or not 2 <= int(dims_text) <= 8192:
            raise UsageError(f"--input {text!r}: text inputs are text:TOKENS with 2 to 8192 tokens")
        return InputArgument(kind, (int(dims_text),), "int64")
    dims = tuple(int(d) for d in dims_text.split("x"))
    if kind == "image" and (len(dims) != 3 or dims[0] not in (1, 3) or min(dims) < 1):
        raise UsageError(f"--input {text!r}: images are CxHxW with C = 1 (grayscale) or 3 (RGB)")
    if kind == "image" and dtype != "float32":
        raise UsageError(f"--input {text!r}: image inputs are float32")
    if min(dims) < 1:
        raise UsageError(f"--input {text!r}: every dimension must be at least 1")
    return InputArgument(kind, dims, dtype)


def yaml_string(text: str) -> str:
    """A YAML scalar holding exactly ``text`` (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


_q = yaml_string


def text_feeds(forward_parameters: tuple[str, ...] | None) -> list[str]:
    """The tensors a text input feeds: the leading parameters of ``forward`` that are token
    tensors (they are passed by position), else ids and mask."""
    feeds: list[str] = []
    for parameter in forward_parameters or ():
        if parameter not in TEXT_ROLES:
            break
        feeds.append(parameter)
    return feeds if "input_ids" in feeds else ["input_ids", "attention_mask"]


def _input_block(index: int, argument: InputArgument, tokenizer: str | None = None,
                 feeds: list[str] | None = None) -> str:
    if argument.kind == "text":
        if tokenizer is None:
            raise UsageError("--input text:TOKENS needs --tokenizer tokenizer.json",
                             hint="give the Hugging Face tokenizer.json of the model")
        name = "text" if index == 0 else f"text_{index}"
        return f"""  - name: {name}
    text:
      tokenizer: {_q(tokenizer)}   # Hugging Face tokenizer.json
      max_length: {argument.dims[0]}        # tokens per text (truncated, then padded with the mask)
      truncation: true
      feeds: [{", ".join(feeds or ["input_ids", "attention_mask"])}]   # forward's arguments, in order
"""
    name = "image" if argument.kind == "image" else f"input_{index}"
    if argument.kind == "image":
        channels, height, width = argument.dims
        color = "rgb" if channels == 3 else "grayscale"
        mean = "[0.485, 0.456, 0.406]" if channels == 3 else "[0.5]"
        std = "[0.229, 0.224, 0.225]" if channels == 3 else "[0.5]"
        return f"""  - name: {name}
    image:
      width: {width}               # model input width in pixels (bitmaps are resized to it)
      height: {height}
      color: {color}              # rgb | bgr | grayscale: channel order the model expects
      layout: nchw             # nchw | nhwc: tensor layout (batch 1)
      scale: 0.00392156862745098   # pixel (0-255) × scale, here 1/255
      mean: {mean}   # subtracted after scaling, one per channel
      std: {std}    # divides after the mean, one per channel
"""
    shape = ", ".join(str(d) for d in argument.dims)
    return f"""  - name: {name}
    tensor:
      shape: [{shape}]        # static shape, batch included
      dtype: {argument.dtype}          # float32 | int32 | int64
"""


def _output_block(output: ProbedOutput, labels: str | None) -> str:
    origin = f"forward() returned it at {output.path}" if output.path else "forward() returns it"
    if output.embedding:
        return f"""  - name: {output.name}              # {origin}; {output.dtype} [1, tokens, width]
    embedding:
      pooling: mean          # mean (over the attention mask) | cls | none
      normalize: true        # unit-length embeddings (cosine similarity = dot product)
"""
    if output.classification:
        assert labels is not None
        return f"""  - name: {output.name}              # {origin}; {output.dtype}
    classification:
      labels: {_q(labels)}    # UTF-8, one label per line, in class-index order
      softmax: true          # apply softmax (false if the model already outputs probabilities)
      top_k: 5               # default number of results
"""
    shape = ", ".join(str(d) for d in output.shape)
    return f"""  - name: {output.name}              # {origin}; {output.dtype}
    tensor:
      shape: [{shape}]        # checked against the model at build time
"""


def _dry_outputs(labels: str | None) -> str:
    if labels:
        return f"""  - name: scores
    classification:
      labels: {_q(labels)}    # UTF-8, one label per line, in class-index order
      softmax: true          # apply softmax (false if the model already outputs probabilities)
      top_k: 5               # default number of results
"""
    return """  - name: output
    tensor: {}               # raw tensor; add `shape: [...]` to have it checked
"""


def render_init(
    *, model: str, weights: str | None, inputs: list[InputArgument], labels: str | None,
    name: str | None, probe: Probe | None = None, tokenizer: str | None = None,
) -> str:
    """The definition; with ``probe`` (the model was run) one output per returned tensor, without
    (``--dry``) one placeholder output and a note saying the model was not run."""
    if not inputs:
        raise UsageError("give at least one --input")
    if tokenizer is not None and not any(a.kind == "text" for a in inputs):
        raise UsageError("--tokenizer applies to a text input", hint="add --input text:TOKENS")
    module = model.partition(":")[0]
    if name:
        display = name
    elif probe is not None:
        display = probe.display_name
    else:
        display = " ".join(w.capitalize() for w in naming.ascii_words(module.split(".")[-1]))
    weights_line = (f"  weights: {_q(weights)}     # state_dict, loaded with torch.load(weights_only=True)"
                    if weights else "  # weights: model.pt     # optional state_dict file")
    if probe is None:
        output = _dry_outputs(labels)
        how = ("# Written with --dry: the model was NOT run, so `outputs` is a guess of one tensor;\n"
               "# declare one entry per tensor forward() returns, in order, before building.\n")
    else:
        output = "".join(_output_block(o, labels) for o in probe.outputs)
        how = (f"# Outputs read from one run of {probe.class_name} on inputs of the shapes below.\n")
    feeds = text_feeds(probe.forward_parameters if probe is not None else None)
    return render_definition(
        display=display, description="", callable_text=model, weights_line=weights_line,
        inputs="".join(_input_block(i, a, tokenizer, feeds) for i, a in enumerate(inputs)),
        outputs=output, how=how,
    )


def render_definition(*, display: str, description: str, callable_text: str, weights_line: str,
                      inputs: str, outputs: str, how: str, precision: str = "float16") -> str:
    """The whole commented definition around its input and output blocks."""
    package = "com.example." + naming.snake_name(display).replace("_", "")
    return f"""# sdkgen model definition: one file drives the Android and iOS SDKs.
# Validate with `sdkgen validate`, build with `sdkgen build`. Relative paths resolve against this
# file's folder. JSON Schema for editors: `sdkgen schema > sdkgen.schema.json`.
{how}schema_version: 1
name: {_q(display)}          # display name; type names derive from it
version: 1.0.0               # version of the generated SDKs
metadata:
  author: ""
  license: ""
  description: {_q(description)}

model:
  callable: {_q(callable_text)}   # package.module:function returning a torch.nn.Module
{weights_line}

inputs:
{inputs}
outputs:                     # one entry per tensor forward() returns, in order
{outputs}
platforms:
  android:
    package: {package}   # Kotlin package and Android namespace
    min_sdk: 24              # >= 23, the minSdk of the ExecuTorch runtime
  ios:
    minimum_version: "17.0"
    compute_units: all       # all | cpu_only | cpu_and_gpu | cpu_and_ne
    precision: {precision}       # float16 | float32 (Core ML compute precision)

validation:                  # exported artifacts vs eager PyTorch
  seed: 0
  seeded_inputs: 4           # random inputs compared besides the examples
  default:
    max_abs_error: 0.001
    max_relative_l2_error: 0.001
    min_cosine_similarity: 0.9999
    min_top1_agreement: 1.0
  golden:                    # Python vs Kotlin vs Swift, and on-device runtimes vs golden outputs
    tensor_atol: 1.0e-06
    probability_atol: 1.0e-05
    model_atol: 0.05

# examples:                  # real inputs for golden vectors (default: seeded random inputs)
#   images: [cat.jpg, dog.png]
"""
