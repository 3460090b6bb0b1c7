"""The one error hierarchy. Each class carries the process exit code ``main()`` maps it to."""

from __future__ import annotations


class SdkgenError(Exception):
    """Base of every error sdkgen raises on purpose; the message says what is wrong and what to do."""

    exit_code = 1
    kind = "error"

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class UsageError(SdkgenError):
    exit_code = 2
    kind = "usage"


class SpecError(SdkgenError):
    """The definition is wrong; ``field`` is the offending field's path, e.g. ``inputs[0].image.mean``."""

    exit_code = 3
    kind = "spec"

    def __init__(self, message: str, *, field: str | None = None, file: str | None = None,
                 hint: str | None = None) -> None:
        located = f"{field}: {message}" if field else message
        if file:
            located = f"{file}: {located}"
        super().__init__(located, hint=hint)
        self.field = field
        self.file = file


class ModelLoadError(SdkgenError):
    """The model callable, weights or program could not be loaded."""

    exit_code = 4
    kind = "model"


class ExportError(SdkgenError):
    """A backend could not export the model."""

    exit_code = 5
    kind = "export"


class ParityError(SdkgenError):
    """An exported artifact disagrees with eager PyTorch beyond the definition's tolerances."""

    exit_code = 6
    kind = "parity"


class CodegenError(SdkgenError):
    exit_code = 7
    kind = "codegen"


class OutputError(SdkgenError):
    """The output directory cannot be written, or already exists without ``--force``."""

    exit_code = 8
    kind = "output"


class PartialBuildError(SdkgenError):
    """Some platforms were built and some failed; the built ones are in place."""

    exit_code = 9
    kind = "partial"
