"""Encoder models (BERT, MiniLM, RoBERTa, DistilBERT, XLM-R, ...): sentence embeddings and
sequence classification, from a local Hugging Face folder.

- ``sequence_classification``: ``architectures`` names a ``…ForSequenceClassification``; the
  labels come from ``id2label``.
- ``sentence_embedding``: a sentence-transformers folder (``modules.json``), or an encoder saved as
  its base model (``BertModel``, ``RobertaModel``, ...). Pooling and normalisation come from the
  sentence-transformers modules (``1_Pooling/config.json``, a ``Normalize`` module); a bare
  encoder gets mean pooling and L2 normalisation.
"""

from __future__ import annotations

import os
from typing import Any

from sdkgen.codegen import naming
from sdkgen.errors import UsageError
from sdkgen.hf_init import HfFamily, HfFolder, InitFiles, InitRequest, register_family
from sdkgen.init_spec import render_definition, yaml_string

MODEL_MODULE = "hf_model.py"
LABELS_FILE = "labels.txt"
ENCODER_TYPES = frozenset({
    "bert", "roberta", "xlm-roberta", "distilbert", "albert", "electra", "mpnet", "deberta",
    "deberta-v2", "camembert", "modernbert",
})
_GENERIC_FOLDERS = frozenset({"model", "models", "snapshot", "checkpoint", "hf", "weights"})
_SENTENCE_POOLING = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}


def _is_classifier(folder: HfFolder) -> bool:
    return any(name.endswith("ForSequenceClassification") for name in folder.architectures)


def _is_sentence_encoder(folder: HfFolder) -> bool:
    if folder.json("modules.json") is not None:
        return True
    model_type = str(folder.config.get("model_type", ""))
    return model_type in ENCODER_TYPES and not any(
        name.endswith(("ForMaskedLM", "ForCausalLM", "ForTokenClassification", "ForQuestionAnswering"))
        for name in folder.architectures
    )


def _tokenizer(folder: HfFolder) -> str:
    path = folder.path / "tokenizer.json"
    if not path.is_file():
        raise UsageError(f"--hf {folder.path}: no tokenizer.json",
                         hint="save the fast tokenizer too: tokenizer.save_pretrained(folder)")
    return "tokenizer.json"


def _feeds(folder: HfFolder) -> list[str]:
    """BERT-style models take type ids (``type_vocab_size``); the others take ids and mask."""
    feeds = ["input_ids", "attention_mask"]
    if int(folder.config.get("type_vocab_size") or 0) > 0:
        feeds.append("token_type_ids")
    return feeds


def _pooling(folder: HfFolder) -> tuple[str, bool, str]:
    """(pooling, normalize, where it came from)."""
    modules = folder.json("modules.json")
    if not isinstance(modules, list):
        return "mean", True, "no sentence-transformers modules: mean pooling, L2-normalised"
    types = [str(m.get("type", "")) for m in modules if isinstance(m, dict)]
    normalize = any(t.endswith(".Normalize") for t in types)
    pooling_module = next((m for m in modules if isinstance(m, dict)
                           and str(m.get("type", "")).endswith(".Pooling")), None)
    if pooling_module is None:
        return "mean", normalize, "modules.json has no Pooling module: mean pooling"
    settings = folder.json(f"{pooling_module.get('path', '')}/config.json")
    modes = [mode for key, mode in _SENTENCE_POOLING.items()
             if isinstance(settings, dict) and settings.get(key)]
    others = [key for key, value in (settings or {}).items()  # type: ignore[union-attr]
              if key.startswith("pooling_mode_") and value and key not in _SENTENCE_POOLING]
    if len(modes) != 1 or others:
        raise UsageError(
            f"--hf {folder.path}: the sentence-transformers pooling {sorted(others) or modes} is "
            "not one sdkgen implements", hint="sdkgen pools with mean (over the attention mask) or cls",
        )
    return modes[0], normalize, f"sentence-transformers modules: {modes[0]} pooling" + (
        ", then Normalize" if normalize else "")


_POSITION_OFFSET = {"roberta": 2, "xlm-roberta": 2, "camembert": 2}  # positions start after padding


def _max_length(request: InitRequest) -> int:
    """The requested tokens per text, at most what the model's position embeddings cover."""
    config = request.folder.config
    positions = config.get("max_position_embeddings")
    if isinstance(positions, int) and positions > 0:
        usable = positions - _POSITION_OFFSET.get(str(config.get("model_type")), 0)
        return max(2, min(request.max_length, usable))
    return request.max_length


def _relative(folder: HfFolder, request: InitRequest) -> str:
    return os.path.relpath(folder.path, request.out.parent)


def _model_module(function: str, relative: str) -> str:
    return f'''"""Builds a local Hugging Face model for sdkgen (written by `sdkgen init --hf`)."""

from pathlib import Path

from sdkgen.hf_init.modules import {function}

MODEL_DIR = Path(__file__).resolve().parent / {naming.python_string(relative)}


def build_model():
    """The model in eval mode, float32, read from MODEL_DIR without network access."""
    return {function}(MODEL_DIR)
'''


def _display_name(folder: HfFolder, request: InitRequest) -> str:
    if request.name:
        return request.name
    # a folder named like its role ("model", "snapshot") says less than the one holding it
    named = folder.path.parent if folder.path.name.lower() in _GENERIC_FOLDERS else folder.path
    words = naming.ascii_words(named.name)
    return " ".join(w if w.isupper() else w.capitalize() for w in words) or "Text Model"


def _definition(request: InitRequest, *, display: str, description: str, input_name: str,
                feeds: list[str], tokenizer: str, outputs: str, how: str) -> str:
    text_block = f"""  - name: {input_name}
    text:
      tokenizer: {yaml_string(tokenizer)}   # Hugging Face tokenizer.json
      max_length: {_max_length(request)}        # tokens per text (truncated, then padded with the mask)
      truncation: true
      feeds: [{", ".join(feeds)}]   # forward's arguments, in order
"""
    return render_definition(
        display=display, description=description, callable_text="hf_model:build_model",
        weights_line="  # the weights are read from the Hugging Face folder by hf_model.py",
        inputs=text_block, outputs=outputs, how=how, precision="float32",
    )


def _origin(folder: HfFolder, task: str) -> str:
    """The comment line saying what the definition was made from (config values on one line)."""
    model_type = " ".join(str(folder.config.get("model_type", "?")).split())
    architectures = " ".join(" ".join(folder.architectures).split()) or "no architectures"
    return f"# Written by `sdkgen init --hf` from {model_type} ({architectures}): {task}.\n"


def _write_embedding(request: InitRequest) -> InitFiles:
    folder = request.folder
    relative = _relative(folder, request)
    pooling, normalize, why = _pooling(folder)
    outputs = f"""  - name: embedding            # last_hidden_state [1, tokens, width]
    embedding:
      pooling: {pooling}            # {why}
      normalize: {"true" if normalize else "false"}
"""
    display = _display_name(folder, request)
    definition = _definition(
        request, display=display, description="Sentence embeddings.", input_name="text",
        feeds=_feeds(folder), tokenizer=f"{relative}/{_tokenizer(folder)}", outputs=outputs,
        how=_origin(folder, "sentence embedding"),
    )
    return InitFiles(definition=definition,
                     files={MODEL_MODULE: _model_module("text_encoder", relative)},
                     summary={"task": "text_embedding", "pooling": pooling, "normalize": normalize})


def _labels(folder: HfFolder) -> list[str]:
    mapping: Any = folder.config.get("id2label")
    if not isinstance(mapping, dict) or not mapping:
        count = int(folder.config.get("num_labels") or 2)
        return [f"LABEL_{index}" for index in range(count)]
    try:
        ordered = sorted((int(key), str(value)) for key, value in mapping.items())
    except ValueError:
        raise UsageError(f"--hf {folder.path}: id2label keys must be class indices") from None
    if [index for index, _ in ordered] != list(range(len(ordered))):
        raise UsageError(f"--hf {folder.path}: id2label must number the classes 0 to n-1")
    return [label.replace("\n", " ").replace("\r", " ") for _, label in ordered]


def _write_classifier(request: InitRequest) -> InitFiles:
    folder = request.folder
    relative = _relative(folder, request)
    labels = _labels(folder)
    outputs = f"""  - name: label                # logits, one per class
    classification:
      labels: {LABELS_FILE}       # from config.json id2label, in class-index order
      softmax: true
      top_k: {min(5, len(labels))}
"""
    definition = _definition(
        request, display=_display_name(folder, request), description="Text classification.",
        input_name="text", feeds=_feeds(folder), tokenizer=f"{relative}/{_tokenizer(folder)}",
        outputs=outputs,
        how=_origin(folder, "sequence classification"),
    )
    return InitFiles(definition=definition, files={
        MODEL_MODULE: _model_module("sequence_classifier", relative),
        LABELS_FILE: "\n".join(labels) + "\n",
    }, summary={"task": "text_classification", "labels": len(labels)})


SEQUENCE_CLASSIFICATION = register_family(HfFamily(
    name="sequence_classification", applies=_is_classifier, write=_write_classifier))
SENTENCE_EMBEDDING = register_family(HfFamily(
    name="sentence_embedding", applies=_is_sentence_encoder, write=_write_embedding))
