"""A tiny BERT (transformers ``BertModel``, random weights) behind a tokenizer trained here.

``build_model()`` returns the encoder; forward takes ``input_ids`` and ``attention_mask``
(``[1, 32]`` int64) and returns ``last_hidden_state`` ``[1, 32, 32]`` (the definition pools it).
``build_classifier()`` is the same body with a 3-class sequence-classification head (logits).
The vocabulary size is the tokenizer's (``tokenizer.json``, trained by
``sdkgen.tokenizers.training.train_wordpiece`` on text installed packages ship).
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from torch import nn

TOKENIZER = Path(__file__).with_name("tokenizer.json")


def _config(num_labels: int = 2) -> object:
    from transformers import BertConfig

    vocab = json.loads(TOKENIZER.read_text(encoding="utf-8"))["model"]["vocab"]
    return BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                      num_attention_heads=4, intermediate_size=64, max_position_embeddings=64,
                      num_labels=num_labels, hidden_dropout_prob=0.0,
                      attention_probs_dropout_prob=0.0)


class Encoder(nn.Module):
    """Returns only the hidden states (a plain tensor, not a ModelOutput)."""

    def __init__(self) -> None:
        super().__init__()
        from transformers import BertModel

        self.bert = BertModel(_config(), add_pooling_layer=False)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state


class Classifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        from transformers import BertForSequenceClassification

        self.bert = BertForSequenceClassification(_config(num_labels=3))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).logits


def build_model() -> nn.Module:
    torch.manual_seed(0)
    return Encoder().eval()


def build_classifier() -> nn.Module:
    torch.manual_seed(1)
    return Classifier().eval()
