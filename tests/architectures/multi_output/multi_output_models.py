"""Real architectures whose forward() returns several tensors (random, seeded weights).

Each function builds the model as a user's callable would; ``sdkgen init`` runs it once and
declares its outputs, ``sdkgen build`` must then build the definition without edits.
"""

from __future__ import annotations

import torch


def bert_encoder() -> torch.nn.Module:
    """transformers BertModel: ModelOutput(last_hidden_state, pooler_output); input token ids."""
    import transformers

    torch.manual_seed(0)
    config = transformers.BertConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                                     intermediate_size=128, vocab_size=100)
    return transformers.BertModel(config)


def question_answering() -> torch.nn.Module:
    """transformers DistilBertForQuestionAnswering: ModelOutput(start_logits, end_logits)."""
    import transformers

    torch.manual_seed(0)
    config = transformers.DistilBertConfig(dim=64, n_layers=2, n_heads=4, hidden_dim=128,
                                           vocab_size=100)
    return transformers.DistilBertForQuestionAnswering(config)


def gru() -> torch.nn.Module:
    """torch.nn.GRU: (output sequence, final hidden state)."""
    torch.manual_seed(0)
    return torch.nn.GRU(input_size=8, hidden_size=16, num_layers=2, batch_first=True)


def attention() -> torch.nn.Module:
    """torch.nn.MultiheadAttention: three inputs (query, key, value), two outputs (values,
    averaged attention weights)."""
    torch.manual_seed(0)
    return torch.nn.MultiheadAttention(embed_dim=16, num_heads=4, batch_first=True)


def timm_features() -> torch.nn.Module:
    """timm resnet18 with features_only=True: a list of five feature maps."""
    import timm

    torch.manual_seed(0)
    return timm.create_model("resnet18", pretrained=False, features_only=True)


def fpn_backbone() -> torch.nn.Module:
    """torchvision's detection backbone (ResNet-18 + feature pyramid): an OrderedDict of maps."""
    from torchvision.models.detection.backbone_utils import resnet_fpn_backbone

    torch.manual_seed(0)
    return resnet_fpn_backbone(backbone_name="resnet18", weights=None, trainable_layers=5)
