"""EfficientNet-Lite0 with its ImageNet weights: a second real image classifier (int8, LiteRT)."""
