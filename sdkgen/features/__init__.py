"""Input and output kinds, one module each; importing this package registers them (fixed order)."""

from sdkgen.features import classification, embedding, image, tensor, text  # noqa: F401  (registration)
from sdkgen.features.base import input_kind, output_kind

__all__ = ["input_kind", "output_kind"]
