"""Calibration of the Android activation groups and outlier channels: each linear's input
range per channel.

The ranges come from ExecuTorch's llama Transformer itself (in plain PyTorch, float32, the module
that is exported), so they are keyed by the exported linears' names. The text is the evaluation
text's tokens *after* the scored ones: what is measured is never what was calibrated on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sdkgen.errors import SdkgenError


def calibration_tokens(text_ids: Sequence[int], scored: int, wanted: int) -> list[int]:
    """The ``wanted`` ids that follow the first ``scored`` ones (an error names the fields when
    the evaluation text is too short)."""
    tokens = list(text_ids[scored:scored + wanted])
    if len(tokens) < wanted:
        raise SdkgenError(
            f"generation.quantization.calibration_tokens: the evaluation text has "
            f"{len(text_ids)} tokens, {scored} are scored (generation.evaluation.text_tokens), "
            f"{len(tokens)} are left to calibrate on, {wanted} are asked for",
            hint="give a longer generation.evaluation.text, or lower calibration_tokens or "
            "text_tokens (activation_groups: 1 with outlier_channels: 0 needs no calibration)",
        )
    return tokens


def input_ranges(model_args: dict[str, Any], state_dict: dict[str, Any], tokens: Sequence[int],
                 window: int) -> dict[str, Any]:
    """``max |x|`` per input channel of every ``nn.Linear`` of the Transformer, by qualified name,
    over ``tokens`` fed in windows of ``window`` (each from position 0)."""
    import torch
    from torch import nn

    from sdkgen.export.executorch_llm import build_transformer

    model = build_transformer(model_args, state_dict, export_ready=False, full_logits=True)
    ranges: dict[str, torch.Tensor] = {}

    def recorder(name: str) -> Any:
        def record(_module: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
            seen = inputs[0].detach().abs().reshape(-1, inputs[0].shape[-1]).amax(0)
            ranges[name] = seen if name not in ranges else torch.maximum(ranges[name], seen)
        return record

    hooks = [module.register_forward_pre_hook(recorder(name))
             for name, module in model.named_modules() if isinstance(module, nn.Linear)]
    try:
        with torch.no_grad():
            for start in range(0, len(tokens), window):
                piece = list(tokens[start:start + window])
                model(torch.tensor([piece], dtype=torch.long),
                      {"input_pos": torch.tensor([0], dtype=torch.long)})
    finally:
        for hook in hooks:
            hook.remove()
    return ranges


def activation_group_masks(ranges: dict[str, Any], groups: int) -> dict[str, Any]:
    """Channel-group masks per linear (linears that read the same input share one computation)."""
    from sdkgen.export.activation_groups import channel_groups

    by_input: dict[bytes, Any] = {}
    masks = {}
    for name, seen in sorted(ranges.items()):
        key = seen.numpy().tobytes()
        if key not in by_input:
            by_input[key] = channel_groups(seen, groups)
        masks[name] = by_input[key]
    return masks


def outlier_channel_indices(ranges: dict[str, Any], count: int) -> dict[str, Any]:
    """The ``count`` input channels of widest range per linear (see outlier_channels)."""
    from sdkgen.export.outlier_channels import outlier_indices

    return {name: outlier_indices(seen, count) for name, seen in sorted(ranges.items())}
