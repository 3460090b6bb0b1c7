"""timm ConvNeXt-Atto (LayerNorm, GELU, depthwise 7x7; no BatchNorm), random init, as a
10-class classifier taking a channels-last (NHWC) BGR image.

The definition declares ``layout: nhwc`` and ``color: bgr``, so the model receives
``[1, 160, 160, 3]`` with channels B, G, R; it moves channels first itself, like a model ported
from a channels-last framework. The labels hold characters that need escaping in Kotlin and Swift
string literals.
"""

from __future__ import annotations

import timm
import torch
from torch import nn

CLASSES = 10


class ChannelsLastClassifier(nn.Module):
    def __init__(self, backbone: nn.Module) -> None:
        super().__init__()
        self.backbone = backbone

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.backbone(image.permute(0, 3, 1, 2))


def build_model() -> nn.Module:
    """ConvNeXt-Atto with seeded random weights behind an NHWC → NCHW permute, in eval mode."""
    torch.manual_seed(0)
    backbone = timm.create_model("convnext_atto", pretrained=False, num_classes=CLASSES)
    return ChannelsLastClassifier(backbone).eval()
