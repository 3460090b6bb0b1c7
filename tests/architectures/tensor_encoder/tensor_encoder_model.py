"""A sequence model with a raw-tensor input and two outputs: Transformer encoder + GRU.

Input ``[1, 16, 32]`` float32 (16 steps of 32 features). Outputs, in order: ``embedding``
``[1, 32]`` (layer-normalised mean over steps) and ``step_logits`` ``[1, 16, 8]`` (8 scores per
step). The GRU makes Core ML's first route (``torch.export`` + ``run_decompositions({})``) fail
with ``gru``, so a build must fall back to a later route and record why.
"""

from __future__ import annotations

import torch
from torch import nn

STEPS = 16
FEATURES = 32
STEP_CLASSES = 8


class SequenceEncoder(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        layer = nn.TransformerEncoderLayer(
            d_model=FEATURES, nhead=4, dim_feedforward=64, dropout=0.0, batch_first=True
        )
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.recurrent = nn.GRU(FEATURES, FEATURES, batch_first=True)
        self.norm = nn.LayerNorm(FEATURES)
        self.step_head = nn.Linear(FEATURES, STEP_CLASSES)

    def forward(self, features: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        hidden, _ = self.recurrent(self.encoder(features))
        return self.norm(hidden.mean(dim=1)), self.step_head(hidden)


def build_model() -> nn.Module:
    """The encoder with seeded random weights, in eval mode."""
    torch.manual_seed(0)
    return SequenceEncoder().eval()
