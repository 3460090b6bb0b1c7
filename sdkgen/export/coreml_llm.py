"""iOS recipe for decoder language models: a stateful Core ML model (iOS 18, KV cache as MLState).

The generic export of a ``transformers`` static cache does not convert (``index_copy``); Apple's
stateful pattern does: a hand-written decoder forward whose KV cache is two registered buffers
(``keyCache``/``valueCache`` → ``ct.StateType``), written in place with slice assignments whose
bounds come from the input shapes. :class:`StatefulDecoder` is that forward for every family
ExecuTorch's llama ``ModelArgs`` describes (same weights as the Android export: RMSNorm, Hugging
Face rotary layout, grouped-query attention, optional q/k/v bias and q/k norm, SiLU MLP).

Core ML model I/O (what the Swift SDK feeds):
- ``input_ids`` int32 [1, q] (1 ≤ q < context_length): the new tokens;
- ``causal_mask`` float16 [1, 1, q, end] (end = cached + q ≤ context_length − 1): 0 where a query
  may attend, −inf elsewhere; its last dimension tells the model how many positions are cached;
- ``logits`` float16 [1, vocab] of the last token; states ``keyCache``/``valueCache`` float16
  [layers, 1, kv_heads, context_length, head_dim].

Core ML cannot run on Linux: the module converted here is checked in PyTorch instead (greedy
against eager, same cache logic) and the package's spec is read back (see :func:`check_spec`).
This module knows nothing about tasks or definitions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdkgen.errors import ExportError
from sdkgen.export.base import ExportResult, path_size
from sdkgen.export.coreml_blocks import WEIGHT_CONSUMERS, WEIGHT_THRESHOLD

IOS_QUANTIZATION_MODES = ("gguf-q4", "int4_blockwise", "int8", "fp16")
INPUT_IDS, CAUSAL_MASK, LOGITS = "input_ids", "causal_mask", "logits"
KEY_CACHE, VALUE_CACHE = "keyCache", "valueCache"


def _decoder_class() -> type:
    import torch
    from torch import nn

    class StatefulDecoder(nn.Module):
        """Decoder forward with an in-place KV cache in buffers (Core ML state)."""

        def __init__(self, arguments: dict[str, Any], state: dict[str, Any],
                     dtype: Any = torch.float32, cache_dtype: Any = torch.float16) -> None:
            super().__init__()
            self.layers = int(arguments["n_layers"])
            self.heads = int(arguments["n_heads"])
            self.kv_heads = int(arguments.get("n_kv_heads") or self.heads)
            self.head_dim = int(arguments["head_dim"])
            self.eps = float(arguments["norm_eps"])
            self.context = int(arguments["max_context_len"])
            self.qkv_bias = bool(arguments.get("attention_qkv_bias", False))
            self.qk_norm = bool(arguments.get("use_qk_norm", False))
            self.weights = nn.ParameterDict({
                name.replace(".", "__"): nn.Parameter(value.detach().to(dtype), requires_grad=False)
                for name, value in state.items()
            })
            theta = float(arguments.get("rope_theta") or 10000.0)
            inverse = 1.0 / (theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float64)
                                       / self.head_dim))
            angles = torch.outer(torch.arange(self.context, dtype=torch.float64), inverse)
            angles = torch.cat([angles, angles], dim=-1)
            self.register_buffer("cos", angles.cos().to(dtype), persistent=False)
            self.register_buffer("sin", angles.sin().to(dtype), persistent=False)
            shape = (self.layers, 1, self.kv_heads, self.context, self.head_dim)
            self.register_buffer(KEY_CACHE, torch.zeros(shape, dtype=cache_dtype))
            self.register_buffer(VALUE_CACHE, torch.zeros(shape, dtype=cache_dtype))

        def w(self, name: str) -> Any:
            return self.weights[name.replace(".", "__")]

        def rms(self, x: Any, weight: Any) -> Any:
            """RMSNorm that float16 (Core ML's compute precision) holds: ``x * x`` overflows
            beyond |x| = 256, and SmolLM2's residual stream reaches 478 (its float16 module agreed
            with eager on 0.047 of the text). Each row is divided by its largest |x| (at least 1)
            first, so the squares stay ≤ 1; eps is divided alike: the same norm."""
            scale = x.abs().amax(-1, keepdim=True).clamp(min=1.0)
            scaled = x / scale
            variance = (scaled * scaled).mean(-1, keepdim=True)
            return scaled * torch.rsqrt(variance + self.eps / (scale * scale)) * weight

        @staticmethod
        def rotate(x: Any) -> Any:
            half = x.shape[-1] // 2
            return torch.cat([-x[..., half:], x[..., :half]], dim=-1)

        def linear(self, x: Any, prefix: str, bias: bool = False) -> Any:
            out = torch.matmul(x, self.w(prefix + ".weight").transpose(0, 1))
            return out + self.w(prefix + ".bias") if bias else out

        def forward(self, input_ids: Any, causal_mask: Any) -> Any:
            length = input_ids.shape[1]
            end = causal_mask.shape[-1]
            past = end - length
            hidden = torch.nn.functional.embedding(input_ids.long(), self.w("tok_embeddings.weight"))
            cos = self.cos[past:end].unsqueeze(0).unsqueeze(0)
            sin = self.sin[past:end].unsqueeze(0).unsqueeze(0)
            mask = causal_mask.to(hidden.dtype)
            repeat = self.heads // self.kv_heads
            for layer in range(self.layers):
                p = f"layers.{layer}."
                x = self.rms(hidden, self.w(p + "attention_norm.weight"))
                q = self.linear(x, p + "attention.wq", self.qkv_bias)
                k = self.linear(x, p + "attention.wk", self.qkv_bias)
                v = self.linear(x, p + "attention.wv", self.qkv_bias)
                q = q.view(1, length, self.heads, self.head_dim).transpose(1, 2)
                k = k.view(1, length, self.kv_heads, self.head_dim).transpose(1, 2)
                v = v.view(1, length, self.kv_heads, self.head_dim).transpose(1, 2)
                if self.qk_norm:
                    q = self.rms(q, self.w(p + "attention.q_norm_fn.weight"))
                    k = self.rms(k, self.w(p + "attention.k_norm_fn.weight"))
                q = q * cos + self.rotate(q) * sin
                k = k * cos + self.rotate(k) * sin
                key_cache = getattr(self, KEY_CACHE)
                value_cache = getattr(self, VALUE_CACHE)
                key_cache[layer:layer + 1, :, :, past:end, :] = k.unsqueeze(0).to(key_cache.dtype)
                value_cache[layer:layer + 1, :, :, past:end, :] = v.unsqueeze(0).to(value_cache.dtype)
                keys = key_cache[layer, :, :, :end, :].to(hidden.dtype)
                values = value_cache[layer, :, :, :end, :].to(hidden.dtype)
                if repeat > 1:
                    keys = keys.repeat_interleave(repeat, dim=1)
                    values = values.repeat_interleave(repeat, dim=1)
                scores = torch.matmul(q, keys.transpose(2, 3)) * (self.head_dim ** -0.5) + mask
                attention = torch.matmul(torch.softmax(scores.float(), dim=-1).to(hidden.dtype),
                                         values)
                attention = attention.transpose(1, 2).reshape(1, length, self.heads * self.head_dim)
                hidden = hidden + self.linear(attention, p + "attention.wo")
                x = self.rms(hidden, self.w(p + "ffn_norm.weight"))
                gate = torch.nn.functional.silu(self.linear(x, p + "feed_forward.w1"))
                hidden = hidden + self.linear(gate * self.linear(x, p + "feed_forward.w3"),
                                              p + "feed_forward.w2")
            last = self.rms(hidden[:, -1, :], self.w("norm.weight"))
            return self.linear(last, "output")

        def reset(self) -> None:
            getattr(self, KEY_CACHE).zero_()
            getattr(self, VALUE_CACHE).zero_()

    return StatefulDecoder


def stateful_decoder(arguments: dict[str, Any], state: dict[str, Any], *, dtype: Any = None,
                     cache_dtype: Any = None) -> Any:
    """The module that is converted (``dtype`` float32 with a float16 cache by default)."""
    import torch

    module = _decoder_class()(arguments, state, dtype or torch.float32,
                              cache_dtype or torch.float16)
    return module.eval()


def causal_mask(length: int, past: int, dtype: Any = None) -> Any:
    """The mask input for ``length`` new tokens after ``past`` cached ones (0 allowed, -inf not)."""
    import torch

    end = past + length
    allowed = torch.arange(end)[None, :] <= (past + torch.arange(length))[:, None]
    mask = torch.zeros(length, end, dtype=dtype or torch.float16)
    mask.masked_fill_(~allowed, float("-inf"))
    return mask[None, None]


class ModuleDecoder:
    """The stateful module as an :class:`sdkgen.llm.evaluate.Decoder` (PyTorch, same cache logic)."""

    def __init__(self, module: Any) -> None:
        self.module = module

    def reset(self) -> None:
        self.module.reset()

    def step(self, tokens: list[int] | tuple[int, ...], position: int) -> Any:
        import torch

        dtype = self.module.cos.dtype
        with torch.no_grad():
            logits = self.module(torch.tensor([list(tokens)], dtype=torch.int32),
                                 causal_mask(len(tokens), position, dtype))
        return logits[0].float().numpy()


def simulated_weights(state: dict[str, Any], quantization: str, block_size: int,
                      carried: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``state`` with the weights :func:`_compress` writes, in PyTorch.

    ``carried`` (gguf-q4): the weights read back from the saved package by state name
    (:func:`sdkgen.export.coreml_blocks.read_carried`): exactly what Core ML materialises. Every
    other 2-D weight of more than 2,048 elements (coremltools' default threshold) is rounded as
    ``linear_symmetric`` does (an estimate): integers in [-(2^(b-1)-1), 2^(b-1)-1], one scale per
    block of ``block_size`` input channels (int4) or per output channel (int8, and the weights
    gguf-q4 found no blocks for), scale = max |w| / (2^(b-1)-1). Core ML's own kernels cannot
    run here: this is what the report measures for the compressed iOS model, labelled simulated.
    """
    if quantization == "fp16":
        return dict(state)
    import torch

    bits, block = (4, block_size) if quantization == "int4_blockwise" else (8, 0)
    limit = 2 ** (bits - 1) - 1
    out = {}
    for name, value in state.items():
        if carried and name in carried:
            out[name] = torch.from_numpy(carried[name]).to(value.dtype)
            continue
        if value.ndim != 2 or value.numel() <= WEIGHT_THRESHOLD:
            out[name] = value
            continue
        rows, columns = value.shape
        size = block if block and columns % block == 0 else columns
        grouped = value.detach().float().reshape(rows, columns // size, size)
        scale = grouped.abs().amax(dim=-1, keepdim=True).clamp(min=1e-12) / limit
        rounded = torch.clamp(torch.round(grouped / scale), -limit, limit) * scale
        out[name] = rounded.reshape(rows, columns).to(value.dtype)
    return out


@dataclass(frozen=True)
class StatefulExport:
    model_args: dict[str, Any]
    state_dict: dict[str, Any]  # ExecuTorch Transformer names (see sdkgen.llm.architectures)
    quantization: str  # one of IOS_QUANTIZATION_MODES
    block_size: int
    minimum_deployment: str  # e.g. "18.0"
    compute_units: str  # coremltools ComputeUnit name
    artifact_path: Path
    metadata: dict[str, str] = field(default_factory=dict)
    # gguf-q4: the source's llama.cpp blocks by state name (see sdkgen.export.coreml_blocks)
    blocks: Mapping[str, Any] = field(default_factory=dict)


def export_stateful(request: StatefulExport) -> ExportResult:
    """Trace the stateful module, convert with its cache as state, compress, save deterministically."""
    import coremltools as ct
    import numpy as np
    import torch

    from sdkgen.export.coreml import deployment_target, normalize_package

    if request.quantization not in IOS_QUANTIZATION_MODES:
        raise ExportError(f"unknown iOS quantization {request.quantization!r}")
    context = int(request.model_args["max_context_len"])
    module = stateful_decoder(request.model_args, request.state_dict)
    example = (torch.tensor([[1, 2]], dtype=torch.int32), causal_mask(2, 3, torch.float16))
    try:
        with torch.no_grad():
            traced = torch.jit.trace(module, example, check_trace=False)
        module.reset()
        query = ct.RangeDim(lower_bound=1, upper_bound=context - 1, default=1)
        end = ct.RangeDim(lower_bound=1, upper_bound=context - 1, default=1)
        cache_shape = tuple(getattr(module, KEY_CACHE).shape)
        mlmodel = ct.convert(
            traced,
            inputs=[ct.TensorType(name=INPUT_IDS, shape=(1, query), dtype=np.int32),
                    ct.TensorType(name=CAUSAL_MASK, shape=(1, 1, query, end), dtype=np.float16)],
            outputs=[ct.TensorType(name=LOGITS, dtype=np.float16)],
            states=[ct.StateType(wrapped_type=ct.TensorType(shape=cache_shape, dtype=np.float16),
                                 name=KEY_CACHE),
                    ct.StateType(wrapped_type=ct.TensorType(shape=cache_shape, dtype=np.float16),
                                 name=VALUE_CACHE)],
            minimum_deployment_target=deployment_target(request.minimum_deployment),
            compute_precision=ct.precision.FLOAT16,
            compute_units=getattr(ct.ComputeUnit, request.compute_units),
            skip_model_load=True,
        )
        mlmodel, carried = _compress(mlmodel, request)
    except ExportError:
        raise
    except Exception as error:
        raise ExportError(
            f"Core ML stateful conversion ({request.quantization}) failed: "
            f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
            hint="rerun with --traceback",
        ) from error
    mlmodel.short_description = request.metadata.get("com.sdkgen.description", "")
    mlmodel.user_defined_metadata.update(request.metadata)
    request.artifact_path.parent.mkdir(parents=True, exist_ok=True)
    mlmodel.save(str(request.artifact_path))
    normalize_package(request.artifact_path)
    return ExportResult(
        backend="coreml", platform="ios", artifact=request.artifact_path,
        size_bytes=path_size(request.artifact_path),
        details={"quantization": request.quantization, "stateful": True,
                 "cache_shape": list(cache_shape), "carried": carried},
    )


def _compress(mlmodel: Any, request: StatefulExport) -> tuple[Any, list[Any]]:
    """The weights in the requested format, and (gguf-q4) the constants carried as blocks."""
    if request.quantization == "fp16":
        return mlmodel, []
    import coremltools.optimize.coreml as cto

    carried: list[Any] = []
    if request.quantization == "gguf-q4":
        from sdkgen.export.coreml_blocks import carry_gguf_blocks

        result = carry_gguf_blocks(mlmodel, request.blocks)
        carried = result.carried
        if not any(c.format in ("Q4_0", "Q4_1") for c in carried):
            raise ExportError("gguf-q4 needs a GGUF source whose linear weights are Q4_0/Q4_1 "
                              "blocks; none of this model's weights are",
                              hint="list int4_blockwise first under quantization.ios")
        if not result.uncarried:  # every weight is the file's: nothing left to compress
            return result.mlmodel, carried
        mlmodel = result.mlmodel
    if request.quantization == "int4_blockwise":
        config = cto.OpLinearQuantizerConfig(mode="linear_symmetric", dtype="int4",
                                             granularity="per_block",
                                             block_size=request.block_size,
                                             weight_threshold=WEIGHT_THRESHOLD)
    else:  # int8, and the weights gguf-q4 found no blocks for
        config = cto.OpLinearQuantizerConfig(mode="linear_symmetric", dtype="int8",
                                             granularity="per_channel",
                                             weight_threshold=WEIGHT_THRESHOLD)
    weights_only = cto.OptimizationConfig(
        op_type_configs={op_type: config for op_type in WEIGHT_CONSUMERS})
    return cto.linear_quantize_weights(mlmodel, weights_only), carried


@dataclass(frozen=True)
class SpecCheck:
    check: str
    expected: str
    found: str

    @property
    def passed(self) -> bool:
        return self.expected == self.found


def check_spec(package: Path, model_args: dict[str, Any], program: Any = None) -> list[SpecCheck]:
    """Read the saved package's spec (works on Linux) and compare its I/O and states, and that
    its compressed constants are weights (``program``: the package's, read when not given)."""
    import coremltools as ct
    from coremltools.proto import FeatureTypes_pb2

    from sdkgen.export.coreml_blocks import compressed_constants, package_program

    spec = ct.models.MLModel(str(package), skip_model_load=True).get_spec()
    description = spec.description
    array = FeatureTypes_pb2.ArrayFeatureType
    names = {value: name for name, value in array.ArrayDataType.items()}
    context = int(model_args["max_context_len"])
    cache = [int(model_args["n_layers"]), 1, int(model_args.get("n_kv_heads") or
             model_args["n_heads"]), context, int(model_args["head_dim"])]

    def array_of(feature: Any) -> Any:
        kind = feature.type.WhichOneof("Type")
        return feature.type.stateType.arrayType if kind == "stateType" else feature.type.multiArrayType

    def ranges(feature: Any) -> str:
        multi = array_of(feature)
        if multi.WhichOneof("ShapeFlexibility") == "shapeRange":
            return str([(r.lowerBound, r.upperBound) for r in multi.shapeRange.sizeRanges])
        return str(list(multi.shape))

    inputs = {f.name: f for f in description.input}
    outputs = {f.name: f for f in description.output}
    states = {f.name: f for f in description.state}
    checks = [
        SpecCheck("inputs", str(sorted([INPUT_IDS, CAUSAL_MASK])), str(sorted(inputs))),
        SpecCheck("outputs", str([LOGITS]), str(sorted(outputs))),
        SpecCheck("states", str(sorted([KEY_CACHE, VALUE_CACHE])), str(sorted(states))),
        SpecCheck("specification version (iOS 18 = 9)", ">= 9",
                  ">= 9" if spec.specificationVersion >= 9 else str(spec.specificationVersion)),
    ]
    if INPUT_IDS in inputs:
        checks.append(SpecCheck("input_ids dtype", "INT32",
                                names[array_of(inputs[INPUT_IDS]).dataType]))
        checks.append(SpecCheck("input_ids shape", str([(1, 1), (1, context - 1)]),
                                ranges(inputs[INPUT_IDS])))
    if CAUSAL_MASK in inputs:
        checks.append(SpecCheck("causal_mask dtype", "FLOAT16",
                                names[array_of(inputs[CAUSAL_MASK]).dataType]))
    if LOGITS in outputs:
        checks.append(SpecCheck("logits dtype", "FLOAT16", names[array_of(outputs[LOGITS]).dataType]))
    for name in (KEY_CACHE, VALUE_CACHE):
        if name in states:
            checks.append(SpecCheck(f"{name} dtype", "FLOAT16", names[array_of(states[name]).dataType]))
            checks.append(SpecCheck(f"{name} shape", str(cache), str(list(array_of(states[name]).shape))))
    constants = compressed_constants(program if program is not None else package_program(package))
    consumers = {child.op_type for op in constants.values() for child in op.outputs[0].child_ops
                 if not child.op_type.startswith("constexpr_")}
    checks.append(SpecCheck(f"compressed constants feed only {', '.join(WEIGHT_CONSUMERS)}", "[]",
                            str(sorted(consumers - set(WEIGHT_CONSUMERS)))))
    return checks
