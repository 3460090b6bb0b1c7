"""The int8 ExecuTorch variants a definition can ask for, each one a recipe over the same steps.

A recipe names what the compression stage does for one ``compression.android.quantize`` mode:
how activations are quantized (static ranges from calibration, or dynamic inside each op),
whether a mixed-precision plan measured on the calibration samples decides which sensitive
activations leave static int8 (and whether the ops around them then run float or with dynamic
int8 activations), whether the conv/linear biases are corrected for the quantization shift, and
how weights are rounded to their int8 grid (nearest, or GPTQ on the calibration samples).
The stage reads these fields; it has no per-mode branches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sdkgen.compression.executorch import QuantizeMode, WeightRounding, needs_calibration

Fallback = Literal["none", "float", "dynamic"]


@dataclass(frozen=True)
class Int8Recipe:
    mode: str  # the definition's name, and the variant file's suffix
    activations: QuantizeMode  # "int8": static ranges; "int8_weight_only": dynamic activations
    sensitive_fallback: Fallback  # what the plan's most sensitive activations become
    bias_correction: bool
    summary: str
    weight_rounding: WeightRounding = "nearest"

    @property
    def needs_calibration(self) -> bool:
        return needs_calibration(self.activations, self.weight_rounding)

    @property
    def plans_mixed_precision(self) -> bool:
        return self.sensitive_fallback != "none"


RECIPES: dict[str, Int8Recipe] = {
    recipe.mode: recipe
    for recipe in (
        Int8Recipe("int8", "int8", "none", False,
                   "static int8: per-channel weights, activation ranges from calibration"),
        Int8Recipe("int8_corrected", "int8", "none", True,
                   "static int8 with empirical bias correction on the calibration samples"),
        Int8Recipe("int8_mixed", "int8", "float", False,
                   "static int8, the fewest most sensitive activations (measured on calibration) "
                   "kept float"),
        Int8Recipe("int8_mixed_dynamic", "int8", "dynamic", False,
                   "static int8, the convs/linears around the most sensitive activations with "
                   "dynamic int8 activations instead (other ops there float)"),
        Int8Recipe("int8_gptq", "int8", "none", False,
                   "static int8, weights rounded by GPTQ on the calibration samples (same grid, "
                   "same program; each layer's output error least)", "gptq"),
        Int8Recipe("int8_weight_only", "int8_weight_only", "none", False,
                   "int8 weights, activations quantized on the fly inside each linear/conv"),
        Int8Recipe("int8_weight_only_gptq", "int8_weight_only", "none", False,
                   "int8 weights rounded by GPTQ on the calibration samples, activations "
                   "quantized on the fly inside each linear/conv", "gptq"),
    )
}


def recipe(mode: str) -> Int8Recipe:
    """The recipe of a ``compression.android.quantize`` mode (the spec admits only these)."""
    return RECIPES[mode]
