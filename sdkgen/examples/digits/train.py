"""Train the digit classifier deterministically and write ``weights.pt``, ``labels.txt``,
``accuracy.json`` next to this file (or into ``--out DIR``).

Run with ``python -m sdkgen.examples.digits.train``. Inputs go through exactly the pre-processing
the definition declares (``sdkgen.yaml``'s image section, via ``sdkgen.features.image``), so the
tensors the model learns from are the tensors the SDKs will feed it. Fixed seeds, deterministic
algorithms and one thread make two runs produce the same weights; ``accuracy.json`` records a
hash of the weight values to check that.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional

from sdkgen.codegen.context import ImageContext
from sdkgen.examples import example_image_context
from sdkgen.examples.digits import data
from sdkgen.examples.digits.model import build_model
from sdkgen.features.image import preprocess_image

HERE = Path(__file__).resolve().parent
SEED = 0
EPOCHS = 40
BATCH_SIZE = 64
LEARNING_RATE = 3e-3
WEIGHT_DECAY = 1e-4


def image_context() -> ImageContext:
    """The image pre-processing declared in this example's ``sdkgen.yaml`` (the only source)."""
    return example_image_context("digits")


def model_inputs(pixels: np.ndarray, image: ImageContext) -> torch.Tensor:
    """RGBA8 pixels ``(N, 8, 8, 4)`` → a float32 batch ``(N, 1, 8, 8)`` through the reference."""
    return torch.from_numpy(np.concatenate([preprocess_image(p, image) for p in pixels]))


def accuracy(model: nn.Module, inputs: torch.Tensor, labels: torch.Tensor) -> tuple[int, float]:
    """Number of correct top-1 predictions and their fraction."""
    model.eval()
    with torch.no_grad():
        correct = int((model(inputs).argmax(dim=1) == labels).sum())
    return correct, correct / labels.numel()


def weights_digest(model: nn.Module) -> str:
    """SHA-256 over parameter names, shapes and float32 bytes, independent of ``torch.save``."""
    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(f"{name}:{tuple(tensor.shape)}".encode())
        digest.update(tensor.detach().contiguous().numpy().astype("<f4").tobytes())
    return digest.hexdigest()


def train(inputs: torch.Tensor, labels: torch.Tensor) -> nn.Module:
    """Adam on shuffled mini-batches, fully seeded."""
    torch.manual_seed(SEED)
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, weight_decay=WEIGHT_DECAY)
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    for _ in range(EPOCHS):
        order = torch.randperm(labels.numel(), generator=generator)
        for start in range(0, labels.numel(), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            loss = functional.cross_entropy(model(inputs[batch]), labels[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return model.eval()


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the digits example deterministically.")
    parser.add_argument(
        "--out", type=Path, default=HERE, help="folder for the outputs (default: this package)"
    )
    out_dir: Path = parser.parse_args().out
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    image = image_context()
    train_pixels, train_labels = data.training_set()
    heldout_pixels, heldout_labels = data.heldout_set()
    heldout_targets = torch.from_numpy(heldout_labels)

    started = time.perf_counter()
    model = train(model_inputs(train_pixels, image), torch.from_numpy(train_labels))
    seconds = time.perf_counter() - started
    correct, fraction = accuracy(model, model_inputs(heldout_pixels, image), heldout_targets)

    torch.save(model.state_dict(), out_dir / "weights.pt")
    (out_dir / "labels.txt").write_text("".join(f"{d}\n" for d in range(10)), encoding="utf-8")
    record = {
        "heldout_accuracy": round(fraction, 6),
        "heldout_correct": correct,
        "heldout_samples": int(heldout_labels.size),
        "train_samples": int(train_labels.size),
        "split": data.SPLIT_DESCRIPTION,
        "seed": SEED,
        "epochs": EPOCHS,
        "batch_size": BATCH_SIZE,
        "optimizer": f"Adam(lr={LEARNING_RATE}, weight_decay={WEIGHT_DECAY})",
        "evaluated_with": "eager PyTorch, float32",
        "torch_version": torch.__version__,
        "weights_sha256": weights_digest(model),
    }
    (out_dir / "accuracy.json").write_text(
        json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"held-out accuracy {fraction:.4f} ({correct}/{heldout_labels.size}), trained in {seconds:.1f} s")


if __name__ == "__main__":
    main()
