"""torchvision ResNet-18 (residual CNN with BatchNorm), random init, 112x112 input.

Random initialisation gives BatchNorm running statistics of 0 / 1, which in eval mode turn most
activations into near-constant values (parity figures on them mean nothing). The statistics are
re-estimated on a few seeded random batches first, so the outputs vary with the input.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import resnet18

SIZE = 112


def _estimate_batchnorm(model: nn.Module, shape: tuple[int, ...], batches: int = 4) -> None:
    """Replace BatchNorm running statistics by the average over ``batches`` seeded batches."""
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average over the batches below
    generator = torch.Generator().manual_seed(1)
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.randn(shape, generator=generator))
    for norm in norms:
        norm.momentum = 0.1
    model.eval()


def build_model() -> nn.Module:
    """ResNet-18 with 1000 classes, seeded random weights and estimated BatchNorm statistics."""
    torch.manual_seed(0)
    model = resnet18(num_classes=1000)
    _estimate_batchnorm(model, (8, 3, SIZE, SIZE))
    return model
