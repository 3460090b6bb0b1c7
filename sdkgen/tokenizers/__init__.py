"""Text tokenizers: what sdkgen's Kotlin and Swift tokenizers support, and their golden vectors.

The Hugging Face ``tokenizers`` library is the reference (the oracle): golden cases are its output.
``support`` refuses components the generated SDKs do not implement, ``corpus`` holds the strings
the cases are made of, ``golden`` writes the ``sdkgen-golden-text`` files, ``fixtures`` produces the
tokenizers the tests use (some read from installed packages, some trained here).
"""

from sdkgen.tokenizers.support import TokenizerSummary, check_supported

__all__ = ["TokenizerSummary", "check_supported"]
