"""Compressed variants of a built model, measured on real data.

- :mod:`sdkgen.compression.executorch`: int8 / int8 weight-only ``.pte`` (PT2E + XNNPACK).
- :mod:`sdkgen.compression.coreml`: int8, 4-bit palettized and pruned ``.mlpackage``.
- :mod:`sdkgen.compression.data`: calibration and evaluation samples from the definition.
- :mod:`sdkgen.compression.metrics`: agreement with eager float and task accuracy.
- :mod:`sdkgen.compression.stage`: the build stage that ties them together.
"""
