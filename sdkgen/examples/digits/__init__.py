"""Bundled example: a compact CNN trained here on scikit-learn's 8x8 handwritten digits."""
