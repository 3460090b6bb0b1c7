"""``python -m sdkgen``: the same command line as ``sdkgen``."""

from sdkgen.cli import main

main()
