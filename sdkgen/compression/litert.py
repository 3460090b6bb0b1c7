"""LiteRT's own int8, for comparison with the ExecuTorch variants: litert-torch's PT2E quantizer.

Signatures used (litert-torch 0.10.0, from the installed package):
``litert_torch.quantize.pt2e_quantizer``: ``PT2EQuantizer().set_global(config)``,
``get_symmetric_quantization_config(is_per_channel=False, is_qat=False, is_dynamic=False)``;
``litert_torch.quantize.quant_config.QuantConfig(pt2e_quantizer=...)``;
``litert_torch.convert(module, sample_args, quant_config=...)``. The quantized graph comes from
torchao's ``prepare_pt2e`` / ``convert_pt2e(..., fold_quantize=False)``, as litert-torch's README
shows.

Modes: ``int8`` (static: weights per channel, activations calibrated on the same samples as the
ExecuTorch ``int8``) and ``int8_weight_only`` (dynamic: activations quantized on the fly).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sdkgen.errors import ExportError

LiteRtQuantizeMode = Literal["int8", "int8_weight_only"]


@dataclass(frozen=True)
class QuantizedTflite:
    path: Path
    size_bytes: int
    calibration_samples: int
    operators: dict[str, int]


def export_litert_quantized(
    module: Any, example_inputs: tuple[Any, ...], calibration: Sequence[tuple[Any, ...]],
    destination: Path, *, mode: LiteRtQuantizeMode, provenance: dict[str, str],
) -> QuantizedTflite:
    """Quantize with litert-torch's PT2E quantizer, convert, and write the ``.tflite``."""
    from sdkgen.export.litert import (
        PROVENANCE_KEY,
        operator_counts,
        require_litert,
        with_metadata,
    )

    require_litert()
    import litert_torch
    import torch
    from litert_torch.quantize.pt2e_quantizer import (
        PT2EQuantizer,
        get_symmetric_quantization_config,
    )
    from litert_torch.quantize.quant_config import QuantConfig
    from torchao.quantization.pt2e.quantize_pt2e import convert_pt2e, prepare_pt2e

    if mode == "int8" and not calibration:
        raise ExportError("LiteRT int8 quantization needs calibration samples: none were given",
                          hint="declare compression.calibration in the definition")
    quantizer = PT2EQuantizer().set_global(
        get_symmetric_quantization_config(is_per_channel=True, is_dynamic=mode == "int8_weight_only")
    )
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # observer reductions in a fixed order: the same scales every build
    try:
        captured = torch.export.export(module, example_inputs, strict=False).module()
        prepared = prepare_pt2e(captured, quantizer)
        with torch.no_grad():
            for sample in calibration if mode == "int8" else (example_inputs,):
                prepared(*sample)
        quantized = convert_pt2e(prepared, fold_quantize=False)
        converted = litert_torch.convert(quantized, example_inputs,
                                         quant_config=QuantConfig(pt2e_quantizer=quantizer))
        flatbuffer = converted.model_content()
    except Exception as error:
        raise ExportError(
            f"LiteRT {mode} quantization failed: {type(error).__name__}: "
            f"{str(error).splitlines()[0] if str(error) else ''}",
            hint="run with --traceback for the full error",
        ) from error
    finally:
        torch.set_num_threads(threads)
    content = with_metadata(flatbuffer, {PROVENANCE_KEY: json.dumps(
        {**provenance, "quantization": f"litert-torch PT2E {mode}"}, sort_keys=True).encode()})
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(content)
    return QuantizedTflite(destination, len(content),
                           len(calibration) if mode == "int8" else 0, operator_counts(content))
