"""Architecture of the digit classifier (weights come from ``weights.pt``, see ``train.py``).

Input: ``[1, 1, 8, 8]`` float32, NCHW, values ``(pixel / 255 - 0.5) / 0.5`` in ``[-1, 1]``.
Output: ``[1, 10]`` logits, one per digit 0-9.
"""

from __future__ import annotations

import torch
from torch import nn


class DigitCNN(nn.Module):
    """conv3x3(16) → ReLU → conv3x3(32) → ReLU → maxpool 2x2 → linear(10); no BatchNorm."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(16, 32, kernel_size=3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.classifier = nn.Linear(32 * 4 * 4, 10)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        features = torch.relu(self.conv1(image))
        features = torch.relu(self.conv2(features))
        features = self.pool(features)
        return self.classifier(torch.flatten(features, 1))


def build_model() -> nn.Module:
    """The untrained architecture; ``sdkgen`` loads ``weights.pt`` into it."""
    return DigitCNN()
