"""Bundled example: torchvision's MobileNetV2 with its ImageNet-1k weights, on real photos."""
