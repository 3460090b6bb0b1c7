"""The ``nn.Module`` wrappers the definitions ``sdkgen init --hf`` writes build their models with.

Hugging Face models return ``ModelOutput`` objects with several tensors and take keyword
arguments; the SDKs need one tensor per declared output and positional inputs in the order the
text input ``feeds`` them. Loading never touches the network (``local_files_only``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn


def _load(auto_class: str, folder: Path) -> Any:
    import transformers

    loader = getattr(transformers, auto_class)
    return loader.from_pretrained(str(folder), local_files_only=True, dtype=torch.float32)


class _SelectedOutput(nn.Module):
    """``forward(input_ids, attention_mask[, token_type_ids])`` → one field of the model's output."""

    output_field: str

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
        output = self.model(input_ids=input_ids, attention_mask=attention_mask, **extra)
        return getattr(output, self.output_field)


class HiddenStates(_SelectedOutput):
    """``forward(input_ids, attention_mask[, token_type_ids])`` → ``last_hidden_state``."""

    output_field = "last_hidden_state"


class Logits(_SelectedOutput):
    """``forward(input_ids, attention_mask[, token_type_ids])`` → ``logits``."""

    output_field = "logits"


def text_encoder(folder: Path) -> nn.Module:
    """The folder's encoder (``AutoModel``), returning its token vectors, in eval mode."""
    return HiddenStates(_load("AutoModel", folder)).eval()


def sequence_classifier(folder: Path) -> nn.Module:
    """The folder's ``AutoModelForSequenceClassification``, returning its logits, in eval mode."""
    return Logits(_load("AutoModelForSequenceClassification", folder)).eval()
