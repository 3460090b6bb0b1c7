"""The building blocks every schema fragment of the definition shares (kept apart to avoid cycles)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """A definition block: unknown keys, NaN and infinities are refused; values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class FieldError(ValueError):
    """A validation error located below the validator's own field (``relative`` path)."""

    def __init__(self, relative: str, message: str) -> None:
        super().__init__(message)
        self.relative = relative
